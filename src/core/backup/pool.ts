/**
 * Bounded parallelism: `forEachLimit` runs `work` over items pulled one at a time from an iterable,
 * at most `limit` at once. Guarantees: items are pulled only when a worker is free (a lazy source
 * is never drained ahead), no new item starts after the first failure, and the promise settles only
 * once every started item has settled, rejecting with the first failure.
 */

export async function forEachLimit<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  const it = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const next = it.next();
      if (next.done === true) return;
      try {
        await work(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure !== undefined) throw failure.error;
}
