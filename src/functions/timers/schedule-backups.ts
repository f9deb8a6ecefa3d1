/**
 * The schedule timer: every few minutes (AFB_SCHEDULE_CRON, 6-field NCRONTAB, default every 5
 * minutes) it starts the scheduled backups that are due by each share's own 5-field cron
 * (src/core/registry/schedule.ts). Guarantees: a share whose backup is still running is skipped, not
 * doubled (fixed instance id), and stays due, so it starts on the first tick after that backup ended;
 * fire times missed meanwhile collapse into one run. `lastScheduledRun` is recorded only after a
 * start succeeded. One share failing does not stop the others; the tick then fails naming them.
 */
import { app, type InvocationContext, type Timer } from "@azure/functions";
import * as df from "durable-functions";
import type { DurableClient } from "durable-functions";
import { redact } from "../../core/redact";
import { dueShares } from "../../core/registry/schedule";
import type { FrontDoorDeps } from "../front-door";

export const SCHEDULE_TIMER = "scheduleBackups";

export interface TickReport {
  readonly started: string[];
  readonly skippedRunning: string[];
  readonly failed: string[];
}

/** One tick: starts what is due at deps.now(); throws after trying every share if any failed. */
export async function runScheduleTick(deps: FrontDoorDeps, client: DurableClient, context: InvocationContext): Promise<TickReport> {
    const now = deps.now();
    const registry = await deps.shares();
    const due = dueShares(await registry.list(), now);
    const starter = deps.starter(client);
    const report: TickReport = { started: [], skippedRunning: [], failed: [] };
    for (const { share, fireTime } of due) {
      try {
        const outcome = await starter.start({ shareId: share.id, trigger: "schedule", requestedAt: new Date(now).toISOString(), scheduledFor: fireTime });
        if (outcome.kind === "running") {
          report.skippedRunning.push(share.id);
          context.log(`share ${share.id} is due (${fireTime}) but its backup ${outcome.instanceId} is still ${outcome.runtimeStatus.toLowerCase()}: skipped, it starts on a later tick`);
          continue;
        }
        await registry.recordScheduledRun(share.id, fireTime);
        report.started.push(share.id);
        context.log(`started scheduled backup ${outcome.instanceId} of share ${share.id} (due ${fireTime})`);
      } catch (err) {
        report.failed.push(share.id);
        context.error(redact(`scheduled backup of share ${share.id} failed to start: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
    if (report.failed.length > 0) throw new Error(`scheduled backups failed to start for shares ${report.failed.join(", ")} (started: ${report.started.join(", ") || "none"})`);
    return report;
}

export function registerScheduleBackupsTimer(deps: FrontDoorDeps): void {
  const handler = async (_timer: Timer, context: InvocationContext): Promise<void> => {
    await runScheduleTick(deps, df.getClient(context), context);
  };
  app.timer(SCHEDULE_TIMER, { schedule: deps.scheduleCron, extraInputs: [df.input.durableClient()], handler });
}
