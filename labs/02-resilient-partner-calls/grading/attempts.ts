import type { JournalEntry } from '../../../mock-systems/platform/journal-entry.ts';

/** One booking call as the partner saw it. */
export interface Attempt {
  /** 1-based, per reference, in arrival order. */
  number: number;
  /** When it arrived, in ms since the partner started. */
  atMs: number;
  /** Undefined when no answer was sent (reset, lost response, abandoned slow call). */
  status?: number;
  fault?: string;
  responseBody?: unknown;
}

/** Every booking call per reference, in arrival order. */
export function attemptsByReference(journal: JournalEntry[]): Map<string, Attempt[]> {
  const byReference = new Map<string, Attempt[]>();
  const bookings = journal.filter((entry) => entry.operationId === 'createShipment' && entry.entity !== undefined).sort((a, b) => a.elapsedMs - b.elapsedMs || a.id - b.id);
  for (const entry of bookings) {
    const attempts = byReference.get(entry.entity!) ?? [];
    attempts.push({
      number: attempts.length + 1,
      atMs: entry.elapsedMs,
      ...(entry.status === undefined ? {} : { status: entry.status }),
      ...(entry.fault === undefined ? {} : { fault: entry.fault }),
      ...(entry.responseBody === undefined ? {} : { responseBody: entry.responseBody }),
    });
    byReference.set(entry.entity!, attempts);
  }
  return byReference;
}

/** Milliseconds from each attempt to the next one: gaps[0] is between attempts 1 and 2. */
export function gapsBetween(attempts: Attempt[]): number[] {
  return attempts.slice(1).map((attempt, index) => attempt.atMs - attempts[index]!.atMs);
}

export function describeAttempts(attempts: Attempt[] | undefined): string {
  if (!attempts || attempts.length === 0) return 'never sent';
  return attempts
    .map((attempt, index) => {
      const what = attempt.status !== undefined ? String(attempt.status) : attempt.fault ?? 'no answer';
      const gap = index === 0 ? '' : ` +${Math.round(attempt.atMs - attempts[index - 1]!.atMs)}ms`;
      return `${what}${gap}`;
    })
    .join(' → ');
}

/** A rejection a client must not retry: a 4xx that is about the request itself. */
export function isFinalClientError(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
