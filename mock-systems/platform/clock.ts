/**
 * A system's clock: real time plus an offset that tests and scenarios can advance, so token
 * expiry and rate-limit windows are exercised without sleeping. Frozen, it stands still and moves
 * only when advanced: a scenario that runs a job on a virtual clock (lab 06) then gets the same
 * token lifetimes and rate-limit refills however long the run takes in real time, on any provider.
 */
export interface Clock {
  now(): number;
  advance(ms: number): number;
  /** Stops real time from moving it; returns the time it stands at. */
  freeze(): number;
  /** Back to real time: a reset system starts as a fresh one does. */
  reset(): void;
}

export function createClock(): Clock {
  let offset = 0;
  let frozenAt: number | undefined;
  const now = () => frozenAt ?? Date.now() + offset;
  return {
    now,
    advance(ms) {
      if (frozenAt === undefined) offset += ms;
      else frozenAt += ms;
      return now();
    },
    freeze() {
      frozenAt ??= Date.now() + offset;
      return frozenAt;
    },
    reset() {
      offset = 0;
      frozenAt = undefined;
    },
  };
}
