// The hidden checks of this lab: they run in `lab grade` only, and `lab pack` leaves this
// folder out of a candidate's bundle. The loader appends them to the scenario's public checks.
import { defineChecks, type CheckOutcome } from '../../../grader/checks/scenario.ts';
import type { ProcessResult } from '../../../grader/runner/process-result.ts';
import type { ShipmentOrder } from '../../../mock-systems/partner/data.ts';
import { MAX_ATTEMPTS, MIN_JITTER_EXCESS, JITTER_LEVELS, MIN_JITTER_WAITS_PER_LEVEL, evidence, runEnded, median, backoffReferences, backoffGaps } from '../scenario.ts';
import type { Context, Setup } from '../scenario.ts';

export default defineChecks<Setup, ProcessResult>([
  {
    id: 'jitters-retries',
    title: 'Retry waits are jittered',
    points: 5,
    visibility: 'hidden',
    targets: 'retry storms',
    task: 1,
    async run({ setup, env }: Context): Promise<CheckOutcome> {
      const { attempts } = await evidence(env);
      // Within one retry level, so the spread is jitter and not growth.
      const levels = JITTER_LEVELS.map((level) => backoffReferences(setup.plan).map((reference) => backoffGaps(attempts.get(reference) ?? [])[level]).filter((gap): gap is number => gap !== undefined));
      const enough = levels.every((waits) => waits.length >= MIN_JITTER_WAITS_PER_LEVEL);
      const excesses = levels.flatMap((waits) => {
        const floor = Math.min(...waits);
        return waits.filter((wait) => wait !== floor).map((wait) => wait / floor - 1);
      });
      const typicalExcess = median(excesses);
      const passed = enough && typicalExcess >= MIN_JITTER_EXCESS;
      const shown = levels.map((waits, index) => `retry ${JITTER_LEVELS[index]! + 1}: ${[...waits].sort((a, b) => a - b).map(Math.round).join(', ')} ms`).join('; ');
      return {
        passed,
        expected: `retries of different orders after the same number of failures wait noticeably different times: typically at least ${(MIN_JITTER_EXCESS * 100).toFixed(1)}% longer than the shortest of them`,
        actual: !enough
          ? `too few orders retried ${JITTER_LEVELS[0]! + 1} times to compare their waits (${shown})`
          : passed
            // Measured times differ from run to run; a verdict that holds must read the same.
            ? `the ${levels[0]!.length} waits before retry ${JITTER_LEVELS[0]! + 1} are typically at least ${(MIN_JITTER_EXCESS * 100).toFixed(1)}% over the shortest`
            : `typically ${(typicalExcess * 100).toFixed(1)}% over the shortest wait (${shown}): the waits are all but the same`,
        hint: 'Many clients that failed together and wait exactly the same time will all come back together.',
      };
    },
  },
  {
    id: 'caps-attempts',
    title: 'Attempts are capped',
    points: 5,
    visibility: 'hidden',
    targets: 'retrying forever',
    task: 1,
    async run({ setup, env, submission }: Context): Promise<CheckOutcome> {
      const { attempts } = await evidence(env);
      const over = [...attempts].filter(([, calls]) => calls.length > MAX_ATTEMPTS);
      const down = setup.plan.down[0]!;
      const downCalls = attempts.get(down)?.length ?? 0;
      const ended = runEnded(submission);
      return {
        passed: over.length === 0 && downCalls >= 2 && !submission.timedOut,
        expected: `at most ${MAX_ATTEMPTS} booking calls per order; an order that keeps failing is retried, then given up and reported`,
        actual:
          over.length > 0
            ? `${over.length} order(s) called more than ${MAX_ATTEMPTS} times, e.g. ${over[0]![0]} ${over[0]![1].length} times`
            : submission.timedOut
              ? `${ended}: the client never gave up on ${down} (${downCalls} calls)`
              : `${down} (failing every time) was called ${downCalls} time(s)`,
        hint: 'Some failures outlast any retry budget. When does the client stop, and who hears about it?',
      };
    },
  },
  {
    id: 'no-addresses-in-logs',
    title: 'No customer names or addresses in the output',
    points: 5,
    visibility: 'hidden',
    targets: 'logging sensitive data',
    task: 2,
    async run({ setup, submission }: Context): Promise<CheckOutcome> {
      const output = `${submission.stdout}\n${submission.stderr}`.toLowerCase();
      const leaks = personalValues(setup.orders).filter(({ value }) => output.includes(value.toLowerCase()));
      return {
        passed: leaks.length === 0,
        expected: "no destination's name or street in stdout or stderr, also not in a logged request body or error",
        actual: leaks.length === 0 ? 'none found' : `${leaks.length} found, e.g. ${leaks[0]!.what}`,
        hint: 'Log order references, statuses and attempt counts; an order body or a failed request carries the customer\'s address.',
      };
    },
  },
]);

/** The customer data in the orders: each destination's name and street (our own origin is not personal). */
function personalValues(orders: ShipmentOrder[]): Array<{ what: string; value: string }> {
  return orders.flatMap((order) => [
    { what: `the destination name of ${order.reference}`, value: order.destination.name },
    { what: `the destination street of ${order.reference}`, value: order.destination.street },
  ]);
}
