/**
 * `GET /api/operations/{instanceId}`: what an operation (a backup orchestration) is doing, in the
 * product's terms rather than the durable extension's: `phase` (the orchestration's custom status
 * phase while it runs; completed / failed / terminated once it ended), `progress` (its custom status:
 * dirs, files, bytes, errors...), `result` (its output once completed) and `errors` (the failure or
 * termination reason). 404 for an unknown instance id. Reasons are redacted.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import type { DurableClient, DurableOrchestrationStatus } from "durable-functions";
import { redact } from "../../core/redact";
import { statusOrUndefined } from "../backup-starter";
import { badRequest, failure, json, notFound } from "./responses";

const ENDED: Record<string, string> = { Completed: "completed", Failed: "failed", Terminated: "terminated", Canceled: "canceled" };

/** The operation view of a durable status. */
export function operationView(status: DurableOrchestrationStatus): Record<string, unknown> {
  const custom = status.customStatus as { phase?: unknown } | null | undefined;
  const ended = ENDED[status.runtimeStatus];
  const livePhase = typeof custom?.phase === "string" ? custom.phase : String(status.runtimeStatus).toLowerCase();
  const reason = status.output === undefined || status.output === null ? `the operation ended ${status.runtimeStatus}` : redact(typeof status.output === "string" ? status.output : JSON.stringify(status.output));
  return {
    instanceId: status.instanceId,
    name: status.name,
    runtimeStatus: status.runtimeStatus,
    phase: ended ?? livePhase,
    progress: custom ?? null,
    result: status.runtimeStatus === "Completed" ? (status.output ?? null) : null,
    errors: status.runtimeStatus === "Failed" || status.runtimeStatus === "Terminated" ? [reason] : [],
    createdTime: status.createdTime,
    lastUpdatedTime: status.lastUpdatedTime,
  };
}

/**
 * While a backup scans, its counts live in the scan sub-orchestration (`scanInstance` in the custom
 * status): they are merged into the view, so progress moves during the scan too.
 */
export async function withScanProgress(client: DurableClient, view: Record<string, unknown>): Promise<Record<string, unknown>> {
  const progress = view.progress as { phase?: unknown; scanInstance?: unknown } | null;
  if (progress?.phase !== "scan" || typeof progress.scanInstance !== "string") return view;
  const scan = (await statusOrUndefined(client, progress.scanInstance))?.customStatus as Record<string, unknown> | null | undefined;
  if (scan === undefined || scan === null) return view;
  const counts: Record<string, unknown> = {};
  for (const k of ["dirs", "files", "bytes", "errors", "listed"]) if (typeof scan[k] === "number") counts[k] = scan[k];
  return { ...view, progress: { ...progress, ...counts } };
}

export function registerGetOperationRoute(): void {
  app.http("getOperation", {
    route: "operations/{instanceId}",
    methods: ["GET"],
    authLevel: "function",
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const instanceId = request.params.instanceId ?? "";
      if (!/^[A-Za-z0-9._:-]{1,100}$/.test(instanceId)) return badRequest([{ field: "instanceId", reason: "must be 1-100 letters, digits, '.', '_', ':' or '-'" }]);
      try {
        const client = df.getClient(context);
        const status = await statusOrUndefined(client, instanceId);
        if (status === undefined) return notFound(`no operation with instance id ${instanceId}`);
        return json(200, await withScanProgress(client, operationView(status)));
      } catch (err) {
        return failure(context, err);
      }
    },
  });
}
