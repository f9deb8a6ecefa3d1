/**
 * The BackupStarter over the durable client: starts the `backupShare` orchestration under the share's
 * fixed instance id (`backup-<shareId>`). Guarantees: never two backups of one share at once. A share
 * whose instance is Pending, Running or ContinuedAsNew is reported as running without a start; a
 * start that races another one is refused by the durable extension (HTTP 409), which is reported the
 * same way. A finished instance (Completed, Failed, Terminated) is replaced by the new run, as the
 * extension does for non-running instance ids.
 */
import type { DurableClient, DurableOrchestrationStatus } from "durable-functions";
import { BACKUP_SHARE_ORCHESTRATION, backupInstanceId, type BackupShareInput, type BackupStarter, type StartOutcome } from "../core/registry/backup-start";

const ACTIVE = new Set(["Pending", "Running", "ContinuedAsNew"]);

/** The library's getStatus rejects an unknown instance with a message naming HTTP 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof Error && /HTTP 404 response/.test(err.message);
}

/** The status of `instanceId`, or undefined when the durable extension does not know it. */
export async function statusOrUndefined(client: DurableClient, instanceId: string): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function durableBackupStarter(client: DurableClient, orchestration = BACKUP_SHARE_ORCHESTRATION): BackupStarter {
  return {
    async start(input: BackupShareInput): Promise<StartOutcome> {
      const instanceId = backupInstanceId(input.shareId);
      const current = await statusOrUndefined(client, instanceId);
      if (current !== undefined && ACTIVE.has(current.runtimeStatus)) return { kind: "running", instanceId, runtimeStatus: current.runtimeStatus };
      try {
        await client.startNew(orchestration, { instanceId, input });
      } catch (err) {
        if (err instanceof Error && /unexpected status code: 409\b/.test(err.message)) return { kind: "running", instanceId, runtimeStatus: "Running" };
        throw err;
      }
      return { kind: "started", instanceId };
    },
  };
}
