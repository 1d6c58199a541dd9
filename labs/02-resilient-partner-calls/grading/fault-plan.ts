import type { FaultRuleInput } from '../../../mock-systems/platform/fault-rules.ts';
import type { Random } from '../../../mock-systems/platform/random.ts';

/**
 * Which order meets which failure. Each role is a set of references; the rules below are
 * installed per reference, so "the first attempt fails" means the first attempt at that order.
 */
export interface FaultPlan {
  /** Throttled (429) or unavailable (503) once, with a Retry-After the client must wait out. */
  retryAfter: Array<{ reference: string; status: 429 | 503; seconds: number }>;
  /** A 5xx without Retry-After on the first attempt only: every gateway status a real partner gives. */
  flaky: Array<{ reference: string; status: TransientStatus }>;
  /**
   * 503 without Retry-After on the first four attempts; the fifth, the last the brief allows,
   * books. Enough of them to compare their waits at one retry level (jitter), and a long wait
   * (1600 ms) to compare, so that timer noise is a small share of it.
   */
  recovering: string[];
  /** 503 on every attempt: the client must give up. */
  down: string[];
  /** The first attempt gets no answer for longer than any sensible timeout. */
  slow: string[];
  /** The first attempt's connection is reset before anything is booked. */
  reset: string[];
  /** The first attempt books, then the connection is reset: the response is lost. */
  lost: string[];
  /** Refused on every attempt with a 4xx that is about the request: retrying cannot help. */
  refused: Array<{ reference: string; status: RefusedStatus }>;
}

/** The transient statuses the brief names, each met on every seed. */
export type TransientStatus = 500 | 502 | 503 | 504;
const FLAKY_STATUSES: readonly TransientStatus[] = [500, 502, 503, 504];
const FLAKY_COUNT = FLAKY_STATUSES.length;

/**
 * 4xx a partner sends for the request itself, besides 409 and 422: a gateway refusing the body
 * (400), and an account not allowed to book what was asked (403).
 */
export type RefusedStatus = 400 | 403;
const REFUSED_STATUSES: readonly RefusedStatus[] = [400, 403];

/** How long the slow attempt stays silent; far beyond the brief's 3 s timeout, short of the time limit. */
export const SLOW_ANSWER_MS = 6000;

/** Draws the roles from the valid orders; any left over book on the first try. */
export function drawFaultPlan(validReferences: string[], random: Random): FaultPlan {
  const pool = random.helpers.shuffle([...validReferences]);
  const take = (count: number) => {
    if (pool.length < count) throw new Error(`the fault plan needs more valid orders than the ${validReferences.length} the lab generates; raise ORDER_COUNT`);
    return pool.splice(0, count).sort();
  };
  const throttled = take(3);
  return {
    retryAfter: [
      { reference: throttled[0]!, status: 429, seconds: 1 },
      { reference: throttled[1]!, status: 429, seconds: 2 },
      { reference: throttled[2]!, status: 503, seconds: 1 },
    ],
    flaky: take(FLAKY_COUNT).map((reference, index) => ({ reference, status: FLAKY_STATUSES[index % FLAKY_STATUSES.length]! })),
    recovering: take(8),
    down: take(1),
    slow: take(1),
    reset: take(1),
    lost: take(2),
    refused: take(REFUSED_STATUSES.length).map((reference, index) => ({ reference, status: REFUSED_STATUSES[index]! })),
  };
}

export function faultRules(plan: FaultPlan): FaultRuleInput[] {
  const booking = (reference: string) => ({ operationId: 'createShipment', entity: reference });
  return [
    ...plan.retryAfter.map(({ reference, status, seconds }) => ({
      id: `retry-after-${reference}`,
      match: booking(reference),
      trigger: { calls: [1] },
      action: { type: 'status' as const, status, retryAfterSeconds: seconds },
    })),
    ...plan.flaky.map(({ reference, status }) => ({ id: `flaky-${reference}`, match: booking(reference), trigger: { calls: [1] }, action: { type: 'status' as const, status } })),
    ...plan.recovering.map((reference) => ({ id: `recovering-${reference}`, match: booking(reference), trigger: { calls: [1, 2, 3, 4] }, action: { type: 'status' as const, status: 503 } })),
    ...plan.down.map((reference) => ({ id: `down-${reference}`, match: booking(reference), action: { type: 'status' as const, status: 503 } })),
    ...plan.slow.map((reference) => ({ id: `slow-${reference}`, match: booking(reference), trigger: { calls: [1] }, action: { type: 'latency' as const, ms: SLOW_ANSWER_MS } })),
    ...plan.reset.map((reference) => ({ id: `reset-${reference}`, match: booking(reference), trigger: { calls: [1] }, action: { type: 'reset' as const } })),
    ...plan.lost.map((reference) => ({ id: `lost-${reference}`, match: booking(reference), trigger: { calls: [1] }, action: { type: 'lost-response' as const } })),
    ...plan.refused.map(({ reference, status }) => ({ id: `refused-${reference}`, match: booking(reference), action: { type: 'status' as const, status } })),
  ];
}
