/**
 * Registration of the restore machinery beside the app's other functions: the `restoreSnapshot`
 * orchestration and its activities (restorePlan, restoreBatch, restoreFinish, restoreCleanup). The
 * routes (GET /api/shares/{id}/snapshots, POST /api/restores) and restore queue messages come with
 * the front door when its deps carry `services`. Nothing registers at import time.
 */
import { registerRestoreActivities } from "./activities/restore-run";
import { registerRestoreOrchestration } from "./orchestrations/restore-snapshot";
import type { AppServices } from "./services";

export function registerRestoreFunctions(services: () => AppServices): void {
  registerRestoreOrchestration();
  registerRestoreActivities(services);
}
