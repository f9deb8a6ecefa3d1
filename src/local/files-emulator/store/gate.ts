/**
 * A shared/exclusive gate per share: content writes hold it shared; snapshot creation holds it
 * exclusively, so a snapshot never captures a version whose bytes are still being overwritten.
 * Waiting exclusive holders block new shared holders (snapshots cannot starve).
 */
export class Gate {
  private shared = 0;
  private exclusive = false;
  private readonly waiters: { exclusive: boolean; go: () => void }[] = [];

  private pump(): void {
    while (this.waiters.length) {
      const next = this.waiters[0];
      if (this.exclusive || (next.exclusive && this.shared > 0)) return;
      this.waiters.shift();
      if (next.exclusive) this.exclusive = true;
      else this.shared++;
      next.go();
      if (next.exclusive) return;
    }
  }

  private acquire(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiters.push({
        exclusive,
        go: () =>
          resolve(() => {
            if (exclusive) this.exclusive = false;
            else this.shared--;
            this.pump();
          }),
      });
      this.pump();
    });
  }

  async withShared<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(false);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  async withExclusive<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(true);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
