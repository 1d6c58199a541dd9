import { DEFAULT_BURST, DEFAULT_RATE_LIMIT_PER_SECOND } from './reference.ts';

/**
 * The partner's rate limit: a token bucket per API key on the system clock. A request takes a
 * token; tokens come back at `ratePerSecond` up to `burst`. A refused request takes none and
 * learns how long until the next token.
 */

export interface RateLimitSettings {
  /** Tokens added per second; 0 turns the limit off. */
  ratePerSecond: number;
  burst: number;
}

export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms on the system clock). */
  at: number;
}

export function rateLimitSettings(settings: Record<string, unknown>): RateLimitSettings {
  const ratePerSecond = settings.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT_PER_SECOND;
  const burst = settings.burst ?? DEFAULT_BURST;
  if (typeof ratePerSecond !== 'number' || !Number.isFinite(ratePerSecond) || ratePerSecond < 0) {
    throw new RangeError(`partner setting rateLimitPerSecond must be a number >= 0 (0 turns the limit off), got ${JSON.stringify(ratePerSecond)}`);
  }
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`partner setting burst must be an integer >= 1, got ${JSON.stringify(burst)}`);
  }
  return { ratePerSecond, burst };
}

/** Takes a token for `key`; returns undefined when granted, or the seconds to wait when refused. */
export function takeToken(buckets: Map<string, Bucket>, key: string, limit: RateLimitSettings, now: number): number | undefined {
  if (limit.ratePerSecond === 0) return undefined;
  const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
  const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
  bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsedSeconds * limit.ratePerSecond);
  bucket.at = now;
  buckets.set(key, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return undefined;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.ratePerSecond));
}
