import type { JournalEntry } from '../../../mock-systems/platform/journal-entry.ts';
import { bookingsFor, type Booking } from '../incident/night.ts';
import { CARRIER_RATE_LIMIT, SCRIPTED_RETRY_AFTER_SECONDS } from '../incident/rehearsal.ts';
import type { OrderOutcome } from '../job/order-sync.ts';

/** A retry after a Retry-After is judged from the refused call's arrival; this absorbs rounding. */
const RETRY_AFTER_SLACK_MS = 5;

/** The order a booking reference belongs to: `SO-000123` and `SO-000123-2` are both SO-000123. */
export function orderOf(reference: string | undefined): string | undefined {
  return reference === undefined ? undefined : /^(SO-\d{6})(-\d+)?$/.exec(reference)?.[1];
}

/**
 * Seconds an answer asked the caller to wait. The journal keeps no response headers: a scripted
 * 429 asks what the rehearsal scripts, and the carrier's own rate limit asks for the seconds
 * until its next token, which at the contract's rate is never more than one.
 */
function retryAfterOf(entry: JournalEntry): number | undefined {
  const fromBody = (entry.responseBody as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof fromBody === 'number') return fromBody;
  if (entry.fault?.split(',').includes('status:429')) return SCRIPTED_RETRY_AFTER_SECONDS;
  return entry.status === 429 && entry.fault === undefined ? Math.ceil(1 / CARRIER_RATE_LIMIT.perSecond) : undefined;
}

export interface EarlyRetry {
  orderId: string;
  status: number;
  askedSeconds: number;
  cameBackAfterMs: number;
}

/** Calls that came back for the same order sooner than a 429 or 503 with Retry-After asked. */
export function earlyRetries(calls: JournalEntry[]): EarlyRetry[] {
  const early: EarlyRetry[] = [];
  calls.forEach((call, index) => {
    if (call.status !== 429 && call.status !== 503) return;
    const asked = retryAfterOf(call);
    const orderId = orderOf(call.entity);
    if (asked === undefined || orderId === undefined) return;
    const next = calls.slice(index + 1).find((candidate) => orderOf(candidate.entity) === orderId);
    if (!next) return;
    const gap = Date.parse(next.receivedAt) - Date.parse(call.receivedAt);
    if (gap < asked * 1000 - RETRY_AFTER_SLACK_MS) early.push({ orderId, status: call.status, askedSeconds: asked, cameBackAfterMs: gap });
  });
  return early;
}

/** Orders that hold more bookings after the rehearsal than one, where the rehearsal added at least one. */
export function doubledByRehearsal(orderIds: string[], before: Booking[], after: Booking[]): Array<{ orderId: string; references: string[] }> {
  return orderIds.flatMap((orderId) => {
    const had = bookingsFor(before, orderId).length;
    const has = bookingsFor(after, orderId);
    return has.length > had && has.length > 1 ? [{ orderId, references: has.map((booking) => `${booking.reference} (${booking.shipmentId})`) }] : [];
  });
}

/** What the job made of an order that did not get booked, in a few words. */
export function whyNotBooked(outcome: OrderOutcome | undefined): string {
  if (!outcome) return 'never started';
  if (outcome.result === 'skipped') return 'never attempted: its wave was stopped before it';
  if (outcome.erpStatus !== undefined) return `the ERP answered ${outcome.erpStatus}`;
  if (outcome.lastError !== undefined) return `the last attempt ended in a ${outcome.lastError}`;
  if (outcome.lastStatus !== undefined) return `the carrier last answered ${outcome.lastStatus}`;
  return outcome.result;
}
