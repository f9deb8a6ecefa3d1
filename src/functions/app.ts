/**
 * The whole Functions app, composed explicitly from its dependencies: the front door (HTTP routes,
 * schedule timer, backup-requests queue), the scan orchestrations with their frontier and
 * listDirectory activities, backupShare and restoreSnapshot with their activities, and the
 * snapshot and restore routes. `src/functions/index.ts` calls it with the deployed app's
 * settings; the local driver and the tests call it with the local stack's.
 */
import type { FrontierStore } from "../core/ports/frontier-store";
import type { FrontDoorDeps } from "./front-door";
import { registerFrontDoor } from "./front-door";
import { registerBackupActivities } from "./activities/backup-run";
import { registerScanFrontierActivity } from "./activities/scan-frontier";
import { registerBackupShareOrchestrations } from "./orchestrations/backup-share";
import { registerScanOrchestrations } from "./orchestrations/scan-tree";
import { registerRestoreFunctions } from "./restore";
import type { AppServices } from "./services";

export interface AppDeps {
  readonly frontDoor: FrontDoorDeps;
  readonly services: () => AppServices;
  /** The scan frontier (built on first use). */
  readonly frontier: () => Promise<FrontierStore>;
}

/** Registers every function of the app with the Functions runtime (or the local driver's recorder). */
export function registerApp(deps: AppDeps): void {
  registerFrontDoor({ ...deps.frontDoor, services: deps.services });
  registerScanOrchestrations();
  registerScanFrontierActivity(deps.frontier);
  registerBackupShareOrchestrations();
  registerBackupActivities(deps.services, deps.frontier);
  registerRestoreFunctions(deps.services);
}
