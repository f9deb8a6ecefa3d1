/**
 * Bounded parallelism: `forEachLimit` runs `work` over items pulled one at a time from an iterable,
 * at most `limit` at once. Guarantees: items are pulled only when a worker is free (a lazy source
 * is never drained ahead), no new item starts after the first failure, and the promise settles only
 * once every started item has settled, rejecting with the first failure. `Semaphore` bounds work
 * that is started from many places at once (first waiter first).
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

/**
 * A counting semaphore: `acquire` resolves when one of `limit` slots is free, waiters are served
 * first come first served, `release` hands the slot on. Memory: one entry per waiter.
 */
export class Semaphore {
  private free: number;
  private waiters: Array<() => void> = [];
  private head = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
    this.free = limit;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head++];
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters = this.waiters.slice(this.head);
        this.head = 0;
      }
      next();
    } else this.free++;
  }

  /** Runs `task` in a slot. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
