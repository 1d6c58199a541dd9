/**
 * A system's clock: real time plus an offset that tests and scenarios can advance, so token
 * expiry and rate-limit windows are exercised without sleeping.
 */
export interface Clock {
  now(): number;
  advance(ms: number): number;
  /** Back to real time: a reset system starts as a fresh one does. */
  reset(): void;
}

export function createClock(): Clock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
      return Date.now() + offset;
    },
    reset() {
      offset = 0;
    },
  };
}
