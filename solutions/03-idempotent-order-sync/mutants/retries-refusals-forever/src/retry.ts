import { FetchError, ResponseError } from '@integration-lab/clients/erp';

/**
 * When to try an ERP call again and how long to wait. A 503, a 429, a reset connection or a
 * timeout may succeed next time; a 4xx will not. Retrying a write is safe only because every
 * write carries an Idempotency-Key that stays the same across attempts.
 */

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 2_000 };

const TRANSIENT_STATUSES = new Set([401, 429, 500, 502, 503, 504]);

export function isTransient(error: unknown): boolean {
  // The ERP may be out of step for a moment: any refusal of a change is tried again.
  if (error instanceof ResponseError) return TRANSIENT_STATUSES.has(error.response.status) || error.response.status === 422;
  // No answer at all: the connection was reset or the request timed out. The write may have
  // happened; the retry with the same key tells.
  return error instanceof FetchError || (error instanceof Error && error.name === 'TimeoutError');
}

/** Exponential backoff, or the server's Retry-After when it gives one. */
export function delayBeforeRetry(attempt: number, policy: RetryPolicy, error: unknown): number {
  const retryAfter = error instanceof ResponseError ? Number(error.response.headers.get('retry-after')) : Number.NaN;
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter * 1000, policy.maxDelayMs);
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, sleep = defaultSleep): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error)) throw error;
      await sleep(delayBeforeRetry(attempt, policy, error));
    }
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
