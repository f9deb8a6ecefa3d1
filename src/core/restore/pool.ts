/**
 * A bounded pool of async jobs: at most `limit` run at once, `add` waits for a free slot (so a
 * producer never queues more than `limit` jobs: memory stays bounded whatever the number of jobs).
 * After the first failure no new job starts; `drain` waits for the running ones and throws that
 * failure. Jobs that were already running finish (or fail) normally.
 */
export class JobPool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  }

  /** True once a job has failed: producers should stop. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Starts `job` when a slot is free; throws the first failure instead once there is one. */
  async add(job: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit && this.failure === undefined) await Promise.race(this.running);
    if (this.failure !== undefined) throw this.failure.error;
    const p: Promise<void> = job()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Waits for every running job; throws the first failure, if any. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
    if (this.failure !== undefined) throw this.failure.error;
  }

  /** Runs `work` over `items` with the pool's limit; waits for every started job, even after a failure. */
  static async forEach<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
    const pool = new JobPool(limit);
    try {
      for (const item of items) await pool.add(() => work(item));
    } finally {
      await pool.drain();
    }
  }
}
