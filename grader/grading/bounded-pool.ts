/**
 * At most `limit` tasks in flight; the rest wait their turn in order. One limiter can be
 * shared by several callers (every lab of `lab validate --all`), so the slots stay busy to
 * the end instead of draining at the end of each lab. Grading waits on timers and child
 * processes more than on the CPU, so a small pool shortens a long list of gradings without
 * crowding a small machine.
 */
export type Limiter = <R>(task: () => Promise<R>) => Promise<R>;

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`the pool needs a whole number of slots ≥ 1 (got ${limit})`);
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Maps items through `run` under a limiter, keeping the input order in the result. */
export function mapWithLimit<T, R>(items: readonly T[], limiter: Limiter, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  return Promise.all(items.map((item, index) => limiter(() => run(item, index))));
}
