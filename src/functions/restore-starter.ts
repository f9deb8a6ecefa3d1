/**
 * Starts the `restoreSnapshot` orchestration for a checked request, the one seam POST /api/restores
 * and the backup-requests queue share. It resolves the share (unknown: `notFound`) and the snapshot
 * (`latest` or a prefix becomes the full id at request time, so the restore restores the snapshot
 * that was meant when asked; none: `notFound`; several: `invalid`), then starts the instance
 * `restore-<shareId>-<requestId or request time>`. An instance with that id that exists already
 * (whatever its state) is reported as `exists` and nothing is started: a repeated request never runs
 * a restore twice.
 */
import type { DurableClient } from "durable-functions";
import { RESTORE_SNAPSHOT_ORCHESTRATION, type RestoreSnapshotInput } from "../core/orchestration/restore-snapshot-contract";
import { ShareNotFoundError } from "../core/ports/share-registry";
import type { FieldIssue } from "../core/registry/share";
import { restoreInstanceId, type RestoreRequest } from "../core/registry/restore-request";
import { SnapshotSpecError } from "../core/restore/errors";
import { findSnapshot } from "../core/restore/snapshot-spec";
import { statusOrUndefined } from "./backup-starter";
import type { AppServices } from "./services";

export type RestoreStartOutcome =
  | { readonly kind: "started"; readonly instanceId: string; readonly snapshotId: string }
  | { readonly kind: "exists"; readonly instanceId: string; readonly runtimeStatus: string }
  | { readonly kind: "notFound"; readonly message: string }
  | { readonly kind: "invalid"; readonly issues: readonly FieldIssue[] };

export async function startRestore(client: DurableClient, services: AppServices, request: RestoreRequest, requestedAtMs: number): Promise<RestoreStartOutcome> {
  let key: string;
  try {
    key = (await services.openShare(request.shareId)).key;
  } catch (err) {
    if (err instanceof ShareNotFoundError) return { kind: "notFound", message: `no share with id ${request.shareId} is registered` };
    throw err;
  }
  let snapshotId: string;
  try {
    snapshotId = (await findSnapshot(await services.repository(), request.snapshot, key)).id;
  } catch (err) {
    if (!(err instanceof SnapshotSpecError)) throw err;
    if (/give more digits/.test(err.message)) return { kind: "invalid", issues: [{ field: "snapshot", reason: err.message.split("\n")[0] }] };
    return { kind: "notFound", message: `share ${request.shareId}: ${err.message}` };
  }
  const instanceId = restoreInstanceId(request.shareId, requestedAtMs, request.requestId);
  const current = await statusOrUndefined(client, instanceId);
  if (current !== undefined) return { kind: "exists", instanceId, runtimeStatus: current.runtimeStatus };
  const input: RestoreSnapshotInput = { request: { ...request, snapshot: snapshotId }, requestedAt: new Date(requestedAtMs).toISOString() };
  try {
    await client.startNew(RESTORE_SNAPSHOT_ORCHESTRATION, { instanceId, input });
  } catch (err) {
    if (err instanceof Error && /unexpected status code: 409\b/.test(err.message)) return { kind: "exists", instanceId, runtimeStatus: "Running" };
    throw err;
  }
  return { kind: "started", instanceId, snapshotId };
}
