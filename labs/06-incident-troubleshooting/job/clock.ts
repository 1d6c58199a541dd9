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

/**
 * A run asked the clock to go past its deadline. The platform stops a run there, as it would
 * stop a nightly job still going when the morning shift starts; the run ends with this error.
 */
export class RunDeadlineExceeded extends Error {
  constructor(
    readonly startedAt: number,
    readonly deadline: number,
    /** Where the wait that crossed the deadline would have ended. */
    readonly wouldEndAt: number,
  ) {
    super(`the run was still going at its deadline, ${Math.round((deadline - startedAt) / 60_000)} min after it started (${clockTime(deadline)}); it was stopped there`);
    this.name = 'RunDeadlineExceeded';
  }
}

/** A clock that starts at `startsAt` and refuses to pass `deadline`: no wait, however long, takes it past. */
export function virtualClock(startsAt: number, deadline = Number.POSITIVE_INFINITY): JobClock {
  let now = startsAt;
  return {
    now: () => now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the job's clock only moves forward (asked to move ${ms} ms)`);
      const next = now + Math.round(ms);
      if (next > deadline) throw new RunDeadlineExceeded(startsAt, deadline, next);
      now = next;
    },
  };
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** `02:04:31` of an instant, as people quote times in a ticket. */
export const clockTime = (ms: number): string => isoTime(ms).slice(11, 19);
