import type { Random } from '../../../mock-systems/platform/random.ts';
import type { JobClock } from './clock.ts';

export type SystemName = 'erp' | 'partner';

/**
 * How the job reaches one system. The job's clock is virtual, so before a call the system's
 * own clock is moved on by the time that passed for the job (token lifetimes, rate limits and
 * Retry-After are judged on it); `syncEveryMs` says how much may pass unsynced.
 */
export interface SystemLink {
  url: string;
  advanceClock(ms: number): Promise<void>;
  syncEveryMs: number;
  /**
   * Whether the system holds this call without ever answering it (a hang). On the virtual
   * clock such a call times out after the configured timeout; in real time the transport asks
   * instead of waiting, so a graded run never sits out a timeout.
   */
  neverAnswers?(entity: string, requestId: string): Promise<boolean>;
}

export interface CallRequest {
  system: SystemName;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs: number;
  /** The record the call is about (the booking reference), for the hang probe. */
  entity?: string;
  /** How long a call of this kind takes on the virtual clock, in ms. */
  latency: readonly [number, number];
}

export type CallResult =
  | { kind: 'answer'; status: number; headers: Headers; body: unknown; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'connection-error'; durationMs: number };

/** How often the transport asks whether a call that has not answered ever will (real ms). */
const PROBE_EVERY_MS = 40;
/** In real time no in-process call takes this long; past it a call is treated as hanging. */
const REAL_TIME_CAP_MS = 15_000;

export interface Transport {
  call(request: CallRequest): Promise<CallResult>;
}

export function createTransport(clock: JobClock, random: Random, links: Record<SystemName, SystemLink>, runId: string): Transport {
  const synced: Record<SystemName, number> = { erp: clock.now(), partner: clock.now() };
  let sequence = 0;

  async function sync(system: SystemName): Promise<void> {
    const behind = clock.now() - synced[system];
    if (behind <= 0 || behind < links[system].syncEveryMs) return;
    await links[system].advanceClock(behind);
    synced[system] += behind;
  }

  return {
    async call(request) {
      await sync(request.system);
      const link = links[request.system];
      const requestId = `${runId}-${++sequence}`;
      const headers: Record<string, string> = { ...request.headers, 'x-request-id': requestId };
      let body: string | undefined;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
      } else if (request.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(request.form).toString();
      }
      const latency = random.number.int({ min: request.latency[0], max: request.latency[1] });
      const controller = new AbortController();
      let settled = false;
      const answer = fetch(`${link.url}${request.path}`, { method: request.method, headers, ...(body === undefined ? {} : { body }), signal: controller.signal }).then(
        async (response) => {
          const text = await response.text();
          return { ok: true as const, response, text };
        },
        () => ({ ok: false as const }),
      );
      answer.finally(() => (settled = true)).catch(() => {});
      const hang = (async (): Promise<'hang' | undefined> => {
        const started = performance.now();
        while (!settled) {
          await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
          if (settled) return undefined;
          if (performance.now() - started > REAL_TIME_CAP_MS) return 'hang';
          if (request.entity !== undefined && link.neverAnswers && (await link.neverAnswers(request.entity, requestId))) return 'hang';
        }
        return undefined;
      })();
      type Answer = Awaited<typeof answer>;
      const outcome: Answer | 'hang' = await Promise.race<Answer | 'hang'>([answer, hang.then((result): Answer | 'hang' | Promise<Answer> => (result === 'hang' ? 'hang' : answer))]);
      if (outcome === 'hang') {
        controller.abort();
        clock.advance(request.timeoutMs);
        return { kind: 'timeout', durationMs: request.timeoutMs };
      }
      if (!outcome.ok) {
        clock.advance(Math.min(latency, request.timeoutMs));
        return { kind: 'connection-error', durationMs: Math.min(latency, request.timeoutMs) };
      }
      const durationMs = Math.min(latency, request.timeoutMs);
      clock.advance(durationMs);
      return { kind: 'answer', status: outcome.response.status, headers: outcome.response.headers, body: parse(outcome.text), durationMs };
    },
  };
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
