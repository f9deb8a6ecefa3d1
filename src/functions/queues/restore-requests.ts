/**
 * Restore messages of the backup-requests queue (`{"type":"restore", ...}`, parsed by
 * backup-requests.ts): starts the restore through the same seam as POST /api/restores. Without a
 * requestId the queue message's id names the instance, so a redelivery (the host retries a message
 * whose function failed after the start) finds the instance and starts nothing twice. An unknown
 * share or snapshot, or an ambiguous snapshot prefix, throws the reason: after maxDequeueCount
 * deliveries the host moves the message unchanged to backup-requests-poison.
 */
import type { InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { describeIssues } from "../../core/registry/share";
import type { RestoreRequest } from "../../core/registry/restore-request";
import type { FrontDoorDeps } from "../front-door";
import { startRestore } from "../restore-starter";

const QUEUE = "backup-requests";
const REQUEST_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** `q-<message id>` when the message id can name an instance (Azure's are GUIDs). */
function requestIdOf(request: RestoreRequest, context: InvocationContext): string | undefined {
  if (request.requestId !== undefined) return request.requestId;
  const id = `q-${String(context.triggerMetadata?.id ?? "").toLowerCase()}`;
  return REQUEST_ID.test(id) && id.length > 2 ? id : undefined;
}

export async function restoreFromQueue(deps: FrontDoorDeps, message: RestoreRequest & { type: "restore" }, context: InvocationContext): Promise<void> {
  if (deps.services === undefined) throw new Error(`${QUEUE}: this app does not run restores (no services were given to the front door)`);
  const { type: _type, ...body } = message;
  const request: RestoreRequest = { ...body, requestId: requestIdOf(body, context) };
  const services = deps.services();
  const outcome = await startRestore(df.getClient(context), services, request, services.now());
  switch (outcome.kind) {
    case "notFound":
      throw new Error(`${QUEUE}: ${outcome.message}`);
    case "invalid":
      throw new Error(`${QUEUE}: malformed message: ${describeIssues(outcome.issues)}`);
    case "exists":
      context.log(`restore ${outcome.instanceId} requested again while it is ${outcome.runtimeStatus.toLowerCase()}: not started twice`);
      return;
    case "started":
      context.log(`started restore ${outcome.instanceId} of share ${request.shareId} from the queue`);
  }
}
