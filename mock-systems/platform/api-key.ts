import { timingSafeEqual } from 'node:crypto';
import type { OperationRequest, OperationResponse } from './operation.ts';
import { problem } from './problem.ts';

// Systems that take an API key in `X-API-Key` (the CRM, the partner) share this check.

/** 401 unless the `X-API-Key` header carries the configured key. */
export function requireApiKey(request: OperationRequest, expected: string | undefined): OperationResponse | undefined {
  const given = request.headers['x-api-key'];
  if (given === undefined || given === '') {
    return problem(401, 'missing-api-key', 'API key required', 'Send your API key in the X-API-Key header.');
  }
  if (expected === undefined || !sameSecret(given, expected)) {
    return problem(401, 'invalid-api-key', 'Invalid API key', 'The X-API-Key header does not carry a valid key for this system.');
  }
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
