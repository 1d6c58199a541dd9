// The hidden checks of this lab: they run in `lab grade` only, and `lab pack` leaves this
// folder out of a candidate's bundle. The loader appends them to the scenario's public checks.
import { defineChecks, type CheckOutcome } from '../../../grader/checks/scenario.ts';
import type { JournalEntry } from '../../../mock-systems/platform/journal-entry.ts';
import { WRITES, erpOf, invoicesByOrder, share, amountText, canonical } from '../scenario.ts';
import type { Setup, Outputs } from '../scenario.ts';

export default defineChecks<Setup, Outputs>([
  {
    id: 'stable-idempotency-key',
    title: 'A retried write reuses its Idempotency-Key, even after a restart',
    points: 15,
    visibility: 'hidden',
    targets: 'idempotency keys',
    task: 5,
    async run({ setup, env }): Promise<CheckOutcome> {
      const writes = (await erpOf(env).requests()).filter((entry) => entry.operationId !== undefined && WRITES.has(entry.operationId)).sort((a, b) => a.id - b.id);
      if (writes.length === 0) return { passed: false, expected: 'invoice writes to the ERP, retried after failures', actual: 'no invoice was written', hint: 'Create and update invoices in the ERP.' };
      const failed = writes.filter((entry) => entry.fault !== undefined && !entry.fault.startsWith('latency'));
      // The write the stop cut short is retried by the next process: half the points, as a key
      // that only lives as long as the process fails there and nowhere else.
      const isCutShort = (entry: JournalEntry) => entry.fault === 'hang' && entry.entity === setup.roles.inFlight;
      const problems: string[] = [];
      const good = { withinRun: 0, acrossRestart: 0 };
      for (const attempt of failed) {
        const retry = writes.find((later) => later.id > attempt.id && later.operationId === attempt.operationId && later.path === attempt.path && canonical(later.body) === canonical(attempt.body));
        const key = attempt.headers['idempotency-key'];
        if (!retry) problems.push(`${describeWrite(attempt)} failed (${attempt.fault}) and was never sent again`);
        else if (!key || retry.headers['idempotency-key'] !== key) problems.push(`${describeWrite(attempt)} failed (${attempt.fault}${isCutShort(attempt) ? ', cut short by the stop' : ''}) with key ${key ?? '(none)'}; its retry used ${retry.headers['idempotency-key'] ?? '(none)'}`);
        else good[isCutShort(attempt) ? 'acrossRestart' : 'withinRun']++;
      }
      if (failed.length > 0 && problems.length === 0) return { passed: true };
      const acrossRestart = failed.filter(isCutShort).length;
      const withinRun = failed.length - acrossRestart;
      const score = acrossRestart === 0 ? share(15, good.withinRun, withinRun) : share(7, good.withinRun, withinRun) + share(8, good.acrossRestart, acrossRestart);
      return {
        passed: false,
        score,
        expected: `each of the ${failed.length} failed invoice writes (503, lost response, a hang given up on or cut short by the stop) retried with the same Idempotency-Key and body, also by the restarted service`,
        actual: failed.length === 0 ? 'no failed write was seen' : `${problems.length} of ${failed.length} not: ${problems[0]}`,
        hint: 'When the answer is lost you cannot know whether the write happened; only the same key lets the ERP recognise the retry. A key made up per attempt, or per process, is new every time. What about the event stays the same across retries and restarts?',
      };
    },
  },
  {
    id: 'nothing-lost-across-restart',
    title: 'The event in flight at the stop is processed after the restart',
    points: 15,
    visibility: 'hidden',
    targets: 'commit after processing',
    task: 6,
    async run({ setup, env, outputs }): Promise<CheckOutcome> {
      const order = setup.expected.find((candidate) => candidate.orderId === setup.roles.inFlight)!;
      if (!outputs?.inFlightReached) {
        return {
          passed: false,
          expected: `the consumer creating the invoice for ${order.orderId} when it was stopped`,
          actual: 'the consumer never tried to invoice that order before the stop',
          hint: 'The stop comes while an invoice write is still waiting for the ERP. Does your consumer create invoices at all?',
        };
      }
      const invoices = (await invoicesByOrder(env, [order])).get(order.orderId) ?? [];
      const invoice = invoices[0];
      if (invoices.length === 1 && invoice!.amount === order.finalAmount && invoice!.status !== 'cancelled') return { passed: true };
      return {
        passed: false,
        expected: `after the restart, one open invoice for ${order.orderId} at ${amountText(order.finalAmount, order.currency)}`,
        actual: invoices.length === 0 ? `no invoice for ${order.orderId}: after the restart its event was skipped, or never reached` : `${invoices.length} invoice(s): ${invoices.map((entry) => `${entry.status} ${amountText(entry.amount, entry.currency)}`).join(', ')}`,
        hint: 'The consumer was stopped while it was still writing that invoice. After the restart the group resumes from its committed offset: what had you committed at that moment?',
      };
    },
  },
]);

function describeWrite(entry: JournalEntry): string {
  return `${entry.method} ${entry.path} ${canonical(entry.body)}`;
}
