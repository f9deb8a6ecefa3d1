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
 * A counting semaphore with weights: `acquire(w)` resolves when `w` of `limit` slots are free, waiters
 * are served first come first served (a heavy waiter at the head holds back lighter ones behind it,
 * so none starves), `release(w)` gives the slots back. Memory: one entry per waiter.
 */
export class Semaphore {
  private free: number;
  private waiters: Array<{ readonly weight: number; readonly resolve: () => void }> = [];
  private head = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
    this.free = limit;
  }

  acquire(weight = 1): Promise<void> {
    if (!Number.isInteger(weight) || weight < 1 || weight > this.limit) throw new Error(`a semaphore of ${this.limit} slots cannot give ${weight}`);
    if (this.head === this.waiters.length && this.free >= weight) {
      this.free -= weight;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push({ weight, resolve }));
  }

  release(weight = 1): void {
    this.free += weight;
    while (this.head < this.waiters.length && this.free >= this.waiters[this.head].weight) {
      const next = this.waiters[this.head++];
      this.free -= next.weight;
      next.resolve();
    }
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
  }

  /** Runs `task` holding `weight` slots. */
  async run<T>(task: () => Promise<T>, weight = 1): Promise<T> {
    await this.acquire(weight);
    try {
      return await task();
    } finally {
      this.release(weight);
    }
  }
}
