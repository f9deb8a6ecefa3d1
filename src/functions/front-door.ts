/**
 * The Functions app's front door, composed explicitly: the share registry routes, the operation
 * status route, the schedule timer and the backup-requests queue. Nothing registers at import time;
 * the app's entry point (or a test, after the local driver's installRecorder()) calls
 * `registerFrontDoor(deps)`. The `afb` CLI never loads this module.
 * Dependencies are injected: the registry (built lazily on first use, rebuilt if building failed),
 * the clock, and how a BackupStarter is made from the durable client (the `backupShare`
 * orchestration by default; tests swap in a stand-in orchestration under the same name).
 */
import type { DurableClient } from "durable-functions";
import { DEFAULTS, type SettingsSource } from "../config/settings";
import type { ShareRegistry } from "../core/ports/share-registry";
import type { BackupStarter } from "../core/registry/backup-start";
import { CronError, parseCron } from "../core/registry/cron";
import { TableShareRegistry } from "../adapters/table/share-registry";
import { durableBackupStarter } from "./backup-starter";
import { registerDeleteShareRoute } from "./http/delete-share";
import { registerGetOperationRoute } from "./http/get-operation";
import { registerGetShareRoute } from "./http/get-share";
import { registerListSharesRoute } from "./http/list-shares";
import { registerRegisterShareRoute } from "./http/register-share";
import { registerStartBackupRoute } from "./http/start-backup";
import { registerListSnapshotsRoute } from "./http/list-snapshots";
import { registerStartRestoreRoute } from "./http/start-restore";
import type { AppServices } from "./services";
import { registerBackupRequestsQueue } from "./queues/backup-requests";
import { registerScheduleBackupsTimer } from "./timers/schedule-backups";
import { systemClock } from "../config/clock";
import { lazy } from "./lazy";
export { lazy } from "./lazy";

export interface FrontDoorDeps {
  /** The registry; called per invocation, so a factory should cache (see lazy()). */
  readonly shares: () => Promise<ShareRegistry>;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly starter: (client: DurableClient) => BackupStarter;
  /** The schedule timer's 6-field NCRONTAB expression. */
  readonly scheduleCron: string;
  /** The app's services: the snapshot and restore routes (and restore queue messages) need them; without, those routes are not registered. */
  readonly services?: () => AppServices;
}

/** Checks AFB_SCHEDULE_CRON (6-field NCRONTAB: second minute hour day month day-of-week). */
export function scheduleCronFrom(get: SettingsSource): string {
  const value = get("AFB_SCHEDULE_CRON") ?? DEFAULTS.scheduleCron;
  try {
    parseCron(value, { seconds: true });
  } catch (err) {
    if (err instanceof CronError) throw new Error(`AFB_SCHEDULE_CRON must be a 6-field NCRONTAB expression (second minute hour day month day-of-week), e.g. "${DEFAULTS.scheduleCron}": ${err.message}`);
    throw err;
  }
  return value;
}

/** The dependencies the deployed app uses: Table Storage registry, the real clock, backupShare. */
export function frontDoorDepsFromSettings(get: SettingsSource): FrontDoorDeps {
  return {
    shares: lazy(() => TableShareRegistry.fromSettings(get)),
    now: systemClock,
    starter: (client) => durableBackupStarter(client),
    scheduleCron: scheduleCronFrom(get),
  };
}

/** Registers every front-door function with the Functions app. */
export function registerFrontDoor(deps: FrontDoorDeps): void {
  registerRegisterShareRoute(deps);
  registerListSharesRoute(deps);
  registerGetShareRoute(deps);
  registerDeleteShareRoute(deps);
  registerStartBackupRoute(deps);
  registerGetOperationRoute();
  registerListSnapshotsRoute(deps.services);
  registerStartRestoreRoute(deps.services);
  registerScheduleBackupsTimer(deps);
  registerBackupRequestsQueue(deps);
}
