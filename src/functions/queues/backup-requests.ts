/**
 * The `backup-requests` queue (repository account, connection AFB_REPOSITORY): automation's entry.
 * A message is JSON `{ "type": "backup", "shareId": "<id>" }`, or `{ "type": "restore", ... }` with the
 * body of POST /api/restores (restore-request.ts; without a requestId the message id names the
 * restore, so a redelivered message never starts a second one; an unknown snapshot poisons it).
 * Guarantees: nothing is lost. A message that is not such an object, names an unknown share or
 * carries something that looks like a secret makes the function throw an error naming what is wrong
 * (never echoing a secret); the Functions host retries it and, after host.json
 * `queues.maxDequeueCount` (default 5) failed deliveries, moves it unchanged to
 * `backup-requests-poison`, where it stays for an operator (the reasons are in the function's log).
 * A request for a share whose backup is already running succeeds without starting a second one.
 */
import { app, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import { describeIssues, parseUntrusted, ShareRegistrationSchema } from "../../core/registry/share";
import { RESTORE_REQUEST_FIELDS } from "../../core/registry/restore-request";
import type { FrontDoorDeps } from "../front-door";
import { restoreFromQueue } from "./restore-requests";

export const BACKUP_REQUESTS_QUEUE = "backup-requests";
export const BACKUP_REQUESTS_FUNCTION = "backupRequests";

const BackupRequestSchema = z.discriminatedUnion(
  "type",
  [z.strictObject({ type: z.literal("backup"), shareId: ShareRegistrationSchema.shape.id }), z.strictObject({ type: z.literal("restore"), ...RESTORE_REQUEST_FIELDS })],
  { error: "must be \"backup\" or \"restore\"" },
);

export type BackupRequest = z.infer<typeof BackupRequestSchema>;

/** The message as a request, or an error naming each problem. */
export function parseBackupRequest(message: unknown): BackupRequest {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw new Error(`${BACKUP_REQUESTS_QUEUE}: malformed message: expected a JSON object like {"type":"backup","shareId":"<id>"}, got ${Array.isArray(message) ? "an array" : typeof message === "string" ? "text that is not JSON" : String(typeof message)}`);
  }
  const parsed = parseUntrusted(BackupRequestSchema, message);
  if (!parsed.ok) throw new Error(`${BACKUP_REQUESTS_QUEUE}: malformed message: ${describeIssues(parsed.issues)}`);
  return parsed.value;
}

export function backupRequestsHandler(deps: FrontDoorDeps) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const request = parseBackupRequest(message);
    if (request.type === "restore") return restoreFromQueue(deps, request, context);
    const share = await (await deps.shares()).get(request.shareId);
    if (share === undefined) throw new Error(`${BACKUP_REQUESTS_QUEUE}: no share with id ${request.shareId} is registered`);
    const outcome = await deps.starter(df.getClient(context)).start({ shareId: share.id, trigger: "queue", requestedAt: new Date(deps.now()).toISOString() });
    if (outcome.kind === "running") context.log(`backup of share ${share.id} requested while ${outcome.instanceId} is ${outcome.runtimeStatus.toLowerCase()}: not started twice`);
    else context.log(`started backup ${outcome.instanceId} of share ${share.id} from the queue`);
  };
}

export function registerBackupRequestsQueue(deps: FrontDoorDeps): void {
  app.storageQueue(BACKUP_REQUESTS_FUNCTION, { queueName: BACKUP_REQUESTS_QUEUE, connection: "AFB_REPOSITORY", extraInputs: [df.input.durableClient()], handler: backupRequestsHandler(deps) });
}
