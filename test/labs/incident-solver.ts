/**
 * A diagnosis written the way the brief asks a trainee to work, from the handout's files alone:
 * reconcile the export with the carrier's bookings, follow each missing or doubled order's
 * correlation id through the logs, and read the cause off its lines. It never looks at the
 * lab's plan, the job's outcomes or the answer key, so grading what it writes proves the key
 * agrees with the evidence the handout gives.
 */

interface Line {
  ref: string;
  component: string;
  correlationId: string;
  event: string;
  data: Record<string, unknown>;
}

export interface Solution {
  diagnosis: {
    seed: number;
    incidents: Array<{
      ticket: string;
      category: string;
      evidence: { correlationIds: string[]; lines: string[] };
      affectedRecords: string[];
      nextStep: string;
      mitigation: string;
    }>;
    leakedLine: string;
  };
  mitigation: { config: Record<string, unknown>; replay: string[] };
}

/** What the brief's lists say fits each cause: the step that tests it and the change that removes it. */
const PLAYBOOK: Record<string, { nextStep: string; mitigation: string }> = {
  'expired-credential': { nextStep: 'check-token-lifetime', mitigation: 'refresh-token-before-expiry' },
  'rate-limit-exceeded': { nextStep: 'compare-request-rate-with-limit', mitigation: 'throttle-and-honour-retry-after' },
  'partner-server-error': { nextStep: 'escalate-to-partner-with-evidence', mitigation: 'retry-with-backoff' },
  'partner-timeout': { nextStep: 'look-up-booking-by-reference', mitigation: 'retry-timeouts' },
  'duplicate-after-lost-response': { nextStep: 'look-up-booking-by-reference', mitigation: 'keep-reference-on-retry' },
  'batch-aborted-after-error': { nextStep: 'reconcile-export-with-bookings', mitigation: 'continue-after-record-error' },
  'invalid-record-data': { nextStep: 'check-record-against-partner-rules', mitigation: 'correct-source-data' },
};

/** A configuration written from the two integration guides, not copied from the lab. */
export const GUIDED_CONFIG = {
  scheduler: { onRecordError: 'continue' },
  erp: { tokenRefresh: 'before-expiry' },
  partner: {
    requestsPerSecond: 2,
    timeoutMs: 4000,
    reference: 'order',
    retry: { maxAttempts: 5, backoffMs: 400, honourRetryAfter: true, on: [429, 500, 502, 503, 504, 'timeout', 'connection-error'] },
  },
  logging: { level: 'info' },
};

export function solveHandout(seed: number, files: Record<string, string>): Solution {
  const lines: Line[] = ['scheduler', 'order-sync', 'partner-gateway'].flatMap((component) =>
    files[`handout/logs/${component}.jsonl`]!
      .trimEnd()
      .split('\n')
      .map((text, index) => {
        const data = JSON.parse(text) as Record<string, unknown>;
        return { ref: `${component}.jsonl:${index + 1}`, component, correlationId: String(data.correlationId), event: String(data.event), data };
      }),
  );
  const exported = JSON.parse(files['handout/state/export.json']!) as Array<{ orderId: string }>;
  const bookings = JSON.parse(files['handout/state/carrier-bookings.json']!) as Array<{ reference: string }>;
  const held = (orderId: string) => bookings.filter((booking) => booking.reference === orderId || booking.reference.startsWith(`${orderId}-`)).length;
  const flowOf = new Map(lines.filter((line) => line.event === 'order.started').map((line) => [String(line.data.orderId), line.correlationId]));
  const flow = (correlationId: string) => lines.filter((line) => line.correlationId === correlationId);

  const causeOf = (orderId: string): string | undefined => {
    if (held(orderId) > 1) return 'duplicate-after-lost-response';
    if (held(orderId) === 1) return undefined;
    const correlationId = flowOf.get(orderId);
    if (correlationId === undefined) return 'batch-aborted-after-error';
    const own = flow(correlationId);
    if (own.some((line) => line.data.status === 401)) return 'expired-credential';
    if (own.some((line) => line.data.status === 422)) return 'invalid-record-data';
    const last = own.filter((line) => line.event === 'booking.attempt').at(-1);
    if (last?.data.error === 'timeout') return 'partner-timeout';
    if (last?.data.status === 429) return 'rate-limit-exceeded';
    if (typeof last?.data.status === 'number' && last.data.status >= 500) return 'partner-server-error';
    throw new Error(`the solver cannot tell why ${orderId} is missing`);
  };
  const byCause = new Map<string, string[]>();
  for (const { orderId } of exported) {
    const cause = causeOf(orderId);
    if (cause) byCause.set(cause, [...(byCause.get(cause) ?? []), orderId]);
  }

  const proofOf = (cause: string, orders: string[]): { correlationIds: string[]; lines: string[] } => {
    if (cause === 'batch-aborted-after-error') {
      const abort = lines.find((line) => line.event === 'wave.aborted')!;
      return { correlationIds: [abort.correlationId], lines: [abort.ref] };
    }
    const correlationId = flowOf.get(orders[0]!)!;
    const own = flow(correlationId);
    // The answer the component got, as it logged it; the summary that the order failed is cited beside it.
    const attempts = own.filter((line) => line.event === 'booking.attempt');
    const summary = own.find((line) => line.event === 'booking.failed' || line.event === 'order.failed');
    const proof = {
      'expired-credential': own.find((line) => line.event === 'erp.order.failed' && line.data.status === 401),
      'invalid-record-data': attempts.find((line) => line.data.status === 422),
      'partner-timeout': attempts.find((line) => line.data.error === 'timeout'),
      'rate-limit-exceeded': attempts.at(-1),
      'partner-server-error': attempts.at(-1),
      'duplicate-after-lost-response': attempts.find((line) => line.data.error === 'connection-error'),
    }[cause]!;
    return { correlationIds: [correlationId], lines: [proof.ref, ...(summary ? [summary.ref] : [])] };
  };

  const rows = files['handout/TICKET.md']!.split('\n').filter((row) => /^\| \d\d:\d\d \| INC-\d+ \|/.test(row));
  const incidents = rows.map((row) => {
    const ticket = /INC-\d+/.exec(row)![0];
    const example = /SO-\d{6}/.exec(row)![0];
    const cause = [...byCause].find(([, orders]) => orders.includes(example))?.[0];
    if (!cause) throw new Error(`${ticket}: ${example} is neither missing nor doubled`);
    const orders = byCause.get(cause)!;
    return { ticket, category: cause, evidence: proofOf(cause, orders), affectedRecords: orders, ...PLAYBOOK[cause]! };
  });
  // What should never be in a log: a piece of a credential, or a customer's data however masked.
  const leak = lines.find((line) => Object.keys(line.data).some((key) => /token|secret|key/i.test(key) && key !== 'correlationId') || /\*\*/.test(JSON.stringify(line.data)))!;
  const replay = exported.map((order) => order.orderId).filter((orderId) => {
    const cause = causeOf(orderId);
    return cause !== undefined && cause !== 'duplicate-after-lost-response' && cause !== 'invalid-record-data';
  });
  return { diagnosis: { seed, incidents, leakedLine: leak.ref }, mitigation: { config: GUIDED_CONFIG, replay } };
}
