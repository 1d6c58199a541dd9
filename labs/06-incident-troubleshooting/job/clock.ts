/**
 * The job's clock. A night's run spans minutes of waves and waits; the lab replays it on a
 * virtual clock so a graded run takes about a second and the same seed gives the same log,
 * down to the millisecond. Nothing here sleeps: waiting moves the clock.
 */
export interface JobClock {
  now(): number;
  /** Lets time pass: a wait, a backoff, a call's duration. */
  advance(ms: number): void;
}

export function virtualClock(startsAt: number): JobClock {
  let now = startsAt;
  return {
    now: () => now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the job's clock only moves forward (asked to move ${ms} ms)`);
      now += Math.round(ms);
    },
  };
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** `02:04:31` of an instant, as people quote times in a ticket. */
export const clockTime = (ms: number): string => isoTime(ms).slice(11, 19);
