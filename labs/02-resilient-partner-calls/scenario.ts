import { defineScenario, type CheckContext, type CheckOutcome } from '../../grader/checks/scenario.ts';
import type { LabEnvironment } from '../../grader/environment/environment.ts';
import type { ProcessResult } from '../../grader/runner/process-result.ts';
import { generatePartnerData, type PlantedRejection, type ShipmentOrder } from '../../mock-systems/partner/data.ts';
import { attemptsByReference, describeAttempts, gapsBetween, isFinalClientError, type Attempt } from './grading/attempts.ts';
import { drawFaultPlan, faultRules, type FaultPlan } from './grading/fault-plan.ts';

/** Orders in one run: enough for every failure mode and a few quiet ones, few enough to run in seconds. */
export const ORDER_COUNT = 24;
/** The brief's limits. */
export const MAX_ATTEMPTS = 5;
const MIN_FIRST_BACKOFF_MS = 200;
/** A call may wait 3 s for its answer; the retry may then back off a little. */
const SLOW_CALL_RETRY_WITHIN_MS = 4500;
/** Timers fire a little early or late; a wait is judged with this much slack. */
const TIMER_SLACK_MS = 50;
/**
 * Retry-After is judged from the throttled call's arrival, which comes before its answer was
 * even written, so a client that waits from the answer is always on time: this only absorbs the
 * journal's and the timers' millisecond rounding. A client that counts the wait from when it
 * sent the call, or shaves a little off, comes back early.
 */
const RETRY_AFTER_SLACK_MS = 5;
/** Doubling waits make the third about four times the first; a fixed or barely growing wait stays near one. */
const GROWTH_BY_THIRD_RETRY = 1.8;
/**
 * Doubling shows as a shortest third wait at least this many times the shortest second one
 * (over the orders that fail three times or more): about 2 with jitter on top, 1.5 when waits
 * grow by a fixed step.
 */
const DOUBLING_RATIO = 1.65;
/**
 * Jitter shows as the typical (median) excess of a retry wait over the shortest wait at the
 * same retry level, as a share of that shortest one. A wait is never shorter than the client
 * meant it, so fixed waits sit on their floor plus timer noise, and late timers move a median
 * only when more than half of them are late; jitter of up to a quarter gives about 12 %.
 * Simulated for nine waits with one timer in ten late by 20-80 ms: jittered waits fall under
 * 2.5 % in about one run in five hundred.
 */
export const MIN_JITTER_EXCESS = 0.025;
/**
 * The fourth retry (level 3, after 1600 ms) is judged. The noise is absolute: orders that failed
 * together without jitter retry together, and their contention spreads the waits by 20-70 ms
 * under load, more than 2.5 % of an 800 ms wait (fixed waits passed at level 2 that way) but
 * a small share of 1600 ms. Earlier retries also fall in the run's busy start.
 */
export const JITTER_LEVELS = [3];
export const MIN_JITTER_WAITS_PER_LEVEL = 6;

export interface Setup {
  orders: ShipmentOrder[];
  invalid: PlantedRejection[];
  plan: FaultPlan;
}

interface StoredShipment {
  id: string;
  reference: string;
  destination: unknown;
  parcels: unknown;
}

interface Evidence {
  attempts: Map<string, Attempt[]>;
  shipments: StoredShipment[];
  /** Shipments that book each order: by its reference or, if re-referenced, by the same contents. */
  bookingsOf(order: ShipmentOrder): StoredShipment[];
}

export type Context = CheckContext<Setup, ProcessResult>;

export async function evidence(env: LabEnvironment): Promise<Evidence> {
  const partner = env.systems.partner!;
  const attempts = attemptsByReference(await partner.requests({ operationId: 'createShipment' }));
  const { shipments } = await partner.state<{ shipments: StoredShipment[] }>();
  const sameContents = (shipment: StoredShipment, order: ShipmentOrder) =>
    JSON.stringify(shipment.destination) === JSON.stringify(order.destination) && JSON.stringify(shipment.parcels) === JSON.stringify(order.parcels);
  return {
    attempts,
    shipments,
    bookingsOf: (order) => shipments.filter((shipment) => shipment.reference === order.reference || sameContents(shipment, order)),
  };
}

/** Orders that can and should end up booked: valid, not on the lane that stays down, not refused. */
function bookable(setup: Setup): ShipmentOrder[] {
  const unbookable = new Set([...setup.invalid.map((rejection) => rejection.reference), ...setup.plan.down, ...setup.plan.refused.map(({ reference }) => reference)]);
  return setup.orders.filter((order) => !unbookable.has(order.reference));
}

interface ReportedOutcome {
  reference?: unknown;
  outcome?: unknown;
  shipmentId?: unknown;
  reasons?: unknown;
  attempts?: unknown;
}

function reportedOutcomes(stdout: string): Map<string, ReportedOutcome> {
  const outcomes = new Map<string, ReportedOutcome>();
  for (const line of stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as ReportedOutcome;
      if (typeof parsed.reference === 'string') outcomes.set(parsed.reference, parsed);
    } catch {
      // Not a summary line; logs may contain braces too.
    }
  }
  return outcomes;
}

/** Numbers (from 1) of the non-blank stdout lines that are not a JSON object naming a reference. */
function straySummaryLines(stdout: string): number[] {
  const stray: number[] = [];
  stdout.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const parsed = JSON.parse(line) as ReportedOutcome | null;
      if (parsed !== null && typeof parsed === 'object' && typeof parsed.reference === 'string') return;
    } catch {
      // not JSON: stray
    }
    stray.push(index + 1);
  });
  return stray;
}

export function runEnded(submission: Context['submission']): string | undefined {
  if (submission.status === 'ok' && submission.exitCode === 0) return undefined;
  if (submission.timedOut) return 'the run hit the time limit';
  return `the run ended with ${submission.status}${submission.exitCode !== null ? ` (exit code ${submission.exitCode})` : ''}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}



/** References whose retries should be spaced by the client's own backoff (no Retry-After asked). */
export function backoffReferences(plan: FaultPlan): string[] {
  return [...plan.flaky.map(({ reference }) => reference), ...plan.recovering, ...plan.down, ...plan.reset, ...plan.lost];
}

/** Gaps after attempts that failed with a 5xx without Retry-After, or with no answer at all. */
export function backoffGaps(attempts: Attempt[]): number[] {
  const gaps = gapsBetween(attempts);
  const result: number[] = [];
  for (let index = 0; index < gaps.length; index++) {
    const failed = attempts[index]!;
    const ownBackoff = failed.status === undefined ? !failed.fault?.startsWith('latency') : failed.status >= 500;
    if (!ownBackoff) break;
    result.push(gaps[index]!);
  }
  return result;
}


export default defineScenario<Setup, ProcessResult>({
  async setup({ seed, env, random }) {
    const { orders, planted } = generatePartnerData({ seed, size: ORDER_COUNT });
    const invalid = new Set(planted.invalid.map((rejection) => rejection.reference));
    const plan = drawFaultPlan(
      orders.map((order) => order.reference).filter((reference) => !invalid.has(reference)),
      random('fault-plan'),
    );
    for (const rule of faultRules(plan)) await env.systems.partner!.addFault(rule);
    return { orders, invalid: planted.invalid, plan };
  },

  drive({ setup }, submission) {
    return submission.run({ stdin: JSON.stringify(setup.orders) });
  },

  checks: [
    {
      id: 'books-every-valid-order',
      title: 'Every valid order is booked with the partner',
      points: 15,
      visibility: 'public',
      targets: 'giving up on transient failures',
      task: 1,
      async run({ setup, env }: Context): Promise<CheckOutcome> {
        const { attempts, bookingsOf } = await evidence(env);
        const expected = bookable(setup);
        const missing = expected.filter((order) => bookingsOf(order).length === 0);
        const example = missing[0];
        return {
          passed: missing.length === 0,
          score: Math.floor((15 * (expected.length - missing.length)) / expected.length),
          expected: `${expected.length} of the ${setup.orders.length} orders booked (the others are invalid, refused or keep failing)`,
          actual: `${expected.length - missing.length} booked${example ? `; ${example.reference} is not (its calls: ${describeAttempts(attempts.get(example.reference))})` : ''}`,
          hint: 'A failed call is not a failed order. Which answers mean "try again later", and which mean "this request will never work"?',
        };
      },
    },
    {
      id: 'no-duplicate-bookings',
      title: 'No order is booked twice',
      points: 10,
      visibility: 'public',
      targets: 'duplicates after an ambiguous failure',
      task: 1,
      async run({ setup, env }: Context): Promise<CheckOutcome> {
        const { shipments, bookingsOf } = await evidence(env);
        const doubled = setup.orders.filter((order) => bookingsOf(order).length > 1);
        const strangers = shipments.filter((shipment) => !setup.orders.some((order) => bookingsOf(order).includes(shipment)));
        const example = doubled[0];
        return {
          passed: doubled.length === 0 && strangers.length === 0,
          expected: 'at most one shipment per order, each under the order\'s own reference',
          actual:
            doubled.length > 0
              ? `${doubled.length} order(s) booked more than once, e.g. ${example!.reference} as ${bookingsOf(example!).map((shipment) => `${shipment.id} (${shipment.reference})`).join(' and ')}`
              : strangers.length > 0
                ? `${strangers.length} shipment(s) that match no order, e.g. ${strangers[0]!.id} with reference ${strangers[0]!.reference}`
                : 'no duplicates',
          hint: 'When a call fails without an answer, the booking may or may not have happened. What does the partner do when the same order is booked again, and what should the client make of that?',
        };
      },
    },
    {
      id: 'reports-every-outcome',
      title: 'The summary reports what became of each order',
      points: 10,
      visibility: 'public',
      targets: 'silent failures',
      task: 2,
      async run({ setup, env, submission }: Context): Promise<CheckOutcome> {
        const { attempts, bookingsOf } = await evidence(env);
        const reported = reportedOutcomes(submission.stdout);
        const rejections = new Map(setup.invalid.map((rejection) => [rejection.reference, rejection]));
        const wrong: string[] = [];
        for (const order of setup.orders) {
          const line = reported.get(order.reference);
          const booking = bookingsOf(order).find((shipment) => shipment.reference === order.reference);
          const rejection = rejections.get(order.reference);
          const saw = line ? `${String(line.outcome)}${line.shipmentId ? ` ${String(line.shipmentId)}` : ''}` : 'no line';
          if (booking) {
            if (line?.outcome !== 'booked' || line.shipmentId !== booking.id) wrong.push(`${order.reference}: expected booked ${booking.id}, got ${saw}`);
          } else if (rejection) {
            const reasons = Array.isArray(line?.reasons) ? line.reasons : [];
            if (line?.outcome !== 'rejected' || !reasons.includes(rejection.reason)) wrong.push(`${order.reference}: expected rejected with the partner's reason, got ${saw}`);
          } else if (line?.outcome !== 'failed') {
            wrong.push(`${order.reference}: not booked, so expected failed, got ${saw}`);
          }
          const calls = attempts.get(order.reference)?.length ?? 0;
          if (line && wrong.at(-1)?.startsWith(`${order.reference}:`) !== true && line.attempts !== calls) {
            wrong.push(`${order.reference}: "attempts":${JSON.stringify(line.attempts ?? null)}, but the partner received ${calls} call(s) for it`);
          }
        }
        const ended = runEnded(submission);
        const right = setup.orders.length - wrong.length;
        // The summary is read by a program; a log line in it breaks the reading like a wrong line.
        const stray = straySummaryLines(submission.stdout);
        return {
          passed: wrong.length === 0 && stray.length === 0 && ended === undefined,
          // A wrong line sends someone to re-book or chase an order for nothing: each costs two points.
          score: Math.max(0, 10 - 2 * (wrong.length + stray.length) - (ended === undefined ? 0 : 5)),
          expected: `one summary line for each of the ${setup.orders.length} orders that agrees with the partner's records (outcome, shipment, reasons, the number of calls made), and exit code 0`,
          actual: [
            `${right} of ${setup.orders.length} lines right${wrong[0] ? ` (${wrong.length} wrong, e.g. ${wrong[0]})` : ''}`,
            stray.length > 0 ? `${stray.length} line(s) on stdout that are not summary objects, the first is line ${stray[0]}` : undefined,
            ended,
          ].filter(Boolean).join('; '),
          hint: 'The summary is what operations acts on: an order the partner holds is booked, whatever the last call answered.',
        };
      },
    },
    {
      id: 'no-retry-on-client-errors',
      title: 'Requests the partner refused are not retried',
      points: 15,
      visibility: 'public',
      targets: 'retrying non-retryable errors',
      task: 1,
      async run({ env }: Context): Promise<CheckOutcome> {
        const { attempts } = await evidence(env);
        const retried = [...attempts].filter(([, calls]) => calls.slice(0, -1).some((call) => isFinalClientError(call.status)));
        const example = retried[0];
        return {
          passed: retried.length === 0,
          expected: 'no further booking call for an order after a 4xx other than 408 and 429',
          actual: example ? `${retried.length} order(s) called again after a 4xx, e.g. ${example[0]}: ${describeAttempts(example[1])}` : 'none',
          hint: 'Retrying only helps when the failure is about the moment, not about the request. Read the status and the problem body.',
        };
      },
    },
    {
      id: 'honours-retry-after',
      title: 'Retries wait as long as Retry-After asks',
      points: 15,
      visibility: 'public',
      targets: 'rate limits and Retry-After',
      task: 1,
      async run({ setup, env }: Context): Promise<CheckOutcome> {
        const { attempts } = await evidence(env);
        const planned = new Map(setup.plan.retryAfter.map((entry) => [entry.reference, entry.seconds]));
        const problems: string[] = [];
        let asked = 0;
        for (const [reference, calls] of attempts) {
          calls.forEach((call, index) => {
            if (call.status !== 429 && call.status !== 503) return;
            const fromBody = (call.responseBody as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
            const seconds = typeof fromBody === 'number' ? fromBody : index === 0 ? planned.get(reference) : undefined;
            if (seconds === undefined) return;
            asked++;
            const next = calls[index + 1];
            if (!next) problems.push(`${reference} was never tried again after ${call.status} with Retry-After: ${seconds}`);
            else if (next.atMs - call.atMs < seconds * 1000 - RETRY_AFTER_SLACK_MS) problems.push(`${reference} was tried again ${Math.round(next.atMs - call.atMs)} ms after ${call.status} with Retry-After: ${seconds}`);
          });
        }
        return {
          passed: problems.length === 0 && asked > 0,
          expected: `every retry after a 429 or 503 with Retry-After at least that many seconds later (${setup.plan.retryAfter.length} orders are asked to wait)`,
          actual: problems.length > 0 ? `${problems.length} of ${asked} too early or missing, e.g. ${problems[0]}` : asked === 0 ? 'no 429 or 503 with Retry-After reached the partner\'s journal' : `all ${asked} waited long enough`,
          hint: 'A throttled or unavailable partner often says when to come back. Where in the response does it say so, and in which unit?',
        };
      },
    },
    {
      id: 'backs-off-exponentially',
      title: 'Retries back off, and the waits grow',
      points: 10,
      visibility: 'public',
      targets: 'retry storms',
      task: 1,
      async run({ setup, env }: Context): Promise<CheckOutcome> {
        const { attempts } = await evidence(env);
        const chains = backoffReferences(setup.plan).map((reference) => ({ reference, calls: attempts.get(reference) ?? [], gaps: backoffGaps(attempts.get(reference) ?? []) }));
        const problems: string[] = [];
        for (const { reference, calls, gaps } of chains) {
          if (gaps.length > 0 && gaps[0]! < MIN_FIRST_BACKOFF_MS - TIMER_SLACK_MS) problems.push(`${reference}: first retry after ${Math.round(gaps[0]!)} ms (${describeAttempts(calls)})`);
        }
        // Growth and doubling are judged on the shortest wait at each retry level over the orders
        // that failed three times or more. A late timer only lengthens a wait, so a floor moves
        // only when every wait at that level was late (the run's busy start stretches first and
        // second waits); a median of stretched first waits once failed a correct client here.
        const long = chains.filter(({ gaps }) => gaps.length >= 3);
        if (long.length >= MIN_JITTER_WAITS_PER_LEVEL) {
          const [first, second, third] = [0, 1, 2].map((level) => Math.min(...long.map(({ gaps }) => gaps[level]!))) as [number, number, number];
          if (third < GROWTH_BY_THIRD_RETRY * first) {
            problems.push(`the shortest third wait, ${Math.round(third)} ms, is not much longer than the shortest first one, ${Math.round(first)} ms`);
          } else if (third < DOUBLING_RATIO * second) {
            problems.push(`the shortest third wait, ${Math.round(third)} ms, is ${(third / second).toFixed(2)} times the shortest second one, ${Math.round(second)} ms, where doubling gives about 2`);
          }
        } else {
          const typicalFirst = median(chains.flatMap(({ gaps }) => gaps.slice(0, 1)));
          for (const { reference, calls, gaps } of long) {
            if (gaps[2]! < GROWTH_BY_THIRD_RETRY * typicalFirst) problems.push(`${reference}: the third wait is not much longer than a typical first one of ${Math.round(typicalFirst)} ms (${describeAttempts(calls)})`);
          }
        }
        const growthSeen = long.length > 0;
        const needsGrowth = [...setup.plan.recovering, ...setup.plan.down][0]!;
        return {
          passed: problems.length === 0 && growthSeen,
          expected: `at least ${MIN_FIRST_BACKOFF_MS} ms before the first retry of a failed call, and waits that grow (doubling) over repeated failures`,
          actual:
            problems.length > 0
              ? `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more like it)` : ''}`
              : growthSeen
                ? 'backoff as expected'
                : `no order was retried often enough to show growing waits (e.g. ${needsGrowth}: ${describeAttempts(attempts.get(needsGrowth))})`,
          hint: 'A partner that is failing needs room to recover; hammering it at a constant pace keeps it down. How should the wait change from one retry to the next?',
        };
      },
    },
    {
      id: 'times-out-slow-calls',
      title: 'A call that does not answer is abandoned and retried',
      points: 10,
      visibility: 'public',
      targets: 'missing timeouts',
      task: 1,
      async run({ setup, env, submission }: Context): Promise<CheckOutcome> {
        const { attempts, bookingsOf } = await evidence(env);
        const slow = setup.plan.slow[0]!;
        const calls = attempts.get(slow) ?? [];
        const gap = calls[1] ? calls[1].atMs - calls[0]!.atMs : undefined;
        const order = setup.orders.find((candidate) => candidate.reference === slow)!;
        const booked = bookingsOf(order).length > 0;
        const ok = gap !== undefined && gap <= SLOW_CALL_RETRY_WITHIN_MS && booked;
        return {
          passed: ok,
          expected: `one order's first call gets no answer for a long time; a new attempt within ${SLOW_CALL_RETRY_WITHIN_MS / 1000} s, and the order booked`,
          actual:
            gap === undefined
              ? `no second call for ${slow} after its first got no answer${submission.timedOut ? ': the client waited for it until the time limit' : ''}`
              : ok
                ? `second call for ${slow} within ${SLOW_CALL_RETRY_WITHIN_MS / 1000} s of the first, and the order booked`
                : `second call for ${slow} ${(gap / 1000).toFixed(1)} s after the first${booked ? '' : ', and the order was not booked'}`,
          hint: 'Without a timeout, one silent connection holds up the whole run. How long should a booking be allowed to take?',
        };
      },
    },
  ],
});
