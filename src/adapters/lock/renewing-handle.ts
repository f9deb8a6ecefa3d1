/**
 * The LockHandle both lease locks (blob, file) give a CLI backup: the lease is renewed on a timer that
 * never keeps the process alive, and release stops the renewals and frees the lease exactly once,
 * however often it is called.
 */
import type { LockHandle } from "../../core/backup/model";

/** Renews every `everyMs` until released; `release` gets the last renewal failure (undefined: none). */
export function renewingHandle(renew: () => Promise<void>, everyMs: number, release: (lost: unknown) => Promise<void>): LockHandle {
  let lost: unknown;
  const timer = setInterval(() => {
    renew().catch((err: unknown) => (lost = err));
  }, everyMs);
  timer.unref();
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      await release(lost);
    },
  };
}
