/**
 * When to retry a partner call and how long to wait first. Pure, so it can be tested without a
 * partner: the caller says what happened, the policy says what to do next.
 */

export interface RetryPolicy {
  /** Attempts in total, the first call included. */
  maxAttempts: number;
  /** Wait before the first retry; each further retry waits twice as long. */
  baseDelayMs: number;
  /** No single wait is longer than this (unless the partner asks for more with Retry-After). */
  maxDelayMs: number;
  /** Random extra on top of each wait, as a share of it, so many clients do not retry in step. */
  jitterRatio: number;
}

/** The partner's integration guide: at most five attempts, backing off from 200 ms. */
export const PARTNER_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 4000,
  jitterRatio: 0.25,
};

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptFailure =
  /** The partner answered with an error status. */
  | { kind: 'status'; status: number; retryAfter?: string | null }
  /** No answer: the connection was reset or closed, or our own timeout gave up waiting. */
  | { kind: 'no-answer'; cause: 'timeout' | 'connection' };

/**
 * Statuses that say "not now" rather than "not this": throttling, and the server or a gateway
 * in front of it failing. Every other 4xx is about the request and will fail the same way again.
 */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isTransient(failure: AttemptFailure): boolean {
  return failure.kind === 'no-answer' || TRANSIENT_STATUSES.has(failure.status);
}

/**
 * Milliseconds a Retry-After header asks for: delta-seconds or an HTTP date. Undefined when
 * there is no usable header.
 */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter before retry number `retry` (1 for the first retry). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(base * (1 + policy.jitterRatio * random()));
}

/**
 * The wait before the next attempt, or undefined when the failure must not be retried or the
 * attempts are used up. A Retry-After from the partner wins when it asks for longer than our
 * own backoff: it knows when it will have capacity again.
 */
export function delayBeforeNextAttempt(failure: AttemptFailure, attempt: number, policy: RetryPolicy, random: () => number, now: number = Date.now()): number | undefined {
  if (!isTransient(failure) || attempt >= policy.maxAttempts) return undefined;
  const backoff = backoffMs(attempt, policy, random);
  const asked = failure.kind === 'status' ? retryAfterMs(failure.retryAfter, now) : undefined;
  return asked === undefined ? backoff : Math.max(asked, backoff);
}
