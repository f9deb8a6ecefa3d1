/**
 * The one seam through which the app's front door (HTTP, timer, queue) starts a backup: an
 * orchestration named `backupShare`, under a FIXED instance id per share, so a second start while one
 * runs is refused instead of running the share twice. The contract is all the orchestration may rely
 * on: its input carries ids, never share data (the orchestration reads the share from the registry).
 */

export const BACKUP_SHARE_ORCHESTRATION = "backupShare";

/** The fixed instance id of a share's backup: one backup per share at a time. */
export function backupInstanceId(shareId: string): string {
  return `backup-${shareId}`;
}

/** What started a backup (recorded in the orchestration's input, for the operator). */
export type BackupTrigger = "http" | "schedule" | "queue";

/** The input of the `backupShare` orchestration. */
export interface BackupShareInput {
  readonly shareId: string;
  readonly trigger: BackupTrigger;
  /** When it was requested (ISO), from the trigger's clock. */
  readonly requestedAt: string;
  /** For scheduled runs: the cron fire time this run serves (ISO). */
  readonly scheduledFor?: string;
}

export type StartOutcome =
  | { readonly kind: "started"; readonly instanceId: string }
  /** A backup of that share is already pending or running under `instanceId`: nothing was started. */
  | { readonly kind: "running"; readonly instanceId: string; readonly runtimeStatus: string };

/** Starts backups; implemented over the durable client in src/functions. */
export interface BackupStarter {
  start(input: BackupShareInput): Promise<StartOutcome>;
}

/** The 409 message for a share whose backup is already running. */
export function alreadyRunningMessage(shareId: string, instanceId: string, runtimeStatus: string): string {
  return `a backup of share ${shareId} is already ${runtimeStatus.toLowerCase()} (instance ${instanceId}): it was not started twice; follow it at /api/operations/${instanceId}`;
}
