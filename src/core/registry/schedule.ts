/**
 * When a registered share is due for a scheduled backup. A share is due at time T when its cron fired
 * at least once after its last scheduled run (or, before the first one, after it was registered) and
 * at or before T. Fire times missed while the timer did not run, or while a backup was still running,
 * collapse into ONE due run: the caller records the latest fire time as `lastScheduledRun` when it
 * starts the backup, so a share is never started twice for one fire time. Pure: T is passed in.
 */
import { parseCron, previousFire } from "./cron";
import type { Share } from "./share";

export interface DueDecision {
  readonly due: boolean;
  /** The latest fire time at or before T (ISO), when due: what to record as lastScheduledRun. */
  readonly fireTime?: string;
}

/** Whether `share` is due at `nowMs`; disabled shares never are. */
export function dueAt(share: Pick<Share, "schedule" | "enabled" | "createdAt" | "lastScheduledRun">, nowMs: number): DueDecision {
  if (!share.enabled) return { due: false };
  const fired = previousFire(parseCron(share.schedule), nowMs);
  if (fired === undefined) return { due: false };
  const since = Date.parse(share.lastScheduledRun ?? share.createdAt);
  if (!Number.isFinite(since)) throw new Error(`share schedule state is not a time: ${JSON.stringify(share.lastScheduledRun ?? share.createdAt)}`);
  return fired > since ? { due: true, fireTime: new Date(fired).toISOString() } : { due: false };
}

/** The shares due at `nowMs`, with the fire time each one's run is recorded under. */
export function dueShares<S extends Share>(shares: readonly S[], nowMs: number): Array<{ share: S; fireTime: string }> {
  const out: Array<{ share: S; fireTime: string }> = [];
  for (const share of shares) {
    const d = dueAt(share, nowMs);
    if (d.due && d.fireTime !== undefined) out.push({ share, fireTime: d.fireTime });
  }
  return out;
}
