/**
 * Maps items through an async function with at most `limit` calls in flight, keeping the
 * input order in the result. Grading waits on timers and child processes more than on the
 * CPU, so a small pool shortens a long list of grades without crowding a small machine.
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`the pool needs a whole number of slots ≥ 1 (got ${limit})`);
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
