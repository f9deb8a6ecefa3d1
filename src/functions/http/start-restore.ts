/**
 * `POST /api/restores`: starts a restore. Body: `{ "shareId", "snapshot": "<id>|<prefix>|latest",
 * "paths"?: [...], "target": {"share": "<name>", "dir"?} | {"sameShare": true, "dir"?},
 * "conflict"?: "fail|skip|overwrite|rename", "requestId"? }` (restore-request.ts). 400 naming each bad
 * field (never echoing a value or a secret), 404 for an unknown share or snapshot, 409 when the
 * request's instance exists already (a repeated requestId), else 202 with the durable status URLs
 * (Location + statusQueryGetUri...); follow it at GET /api/operations/{instanceId}.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { RestoreRequestSchema } from "../../core/registry/restore-request";
import { parseUntrusted } from "../../core/registry/share";
import { startRestore } from "../restore-starter";
import type { AppServices } from "../services";
import { badRequest, failure, json, notFound, readJson } from "./responses";

export function registerStartRestoreRoute(services: (() => AppServices) | undefined): void {
  if (services === undefined) return;
  app.http("startRestore", {
    route: "restores",
    methods: ["POST"],
    authLevel: "function",
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const body = await readJson(request);
      if (!body.ok) return body.response;
      if (typeof body.value !== "object" || body.value === null || Array.isArray(body.value)) return badRequest([{ field: "(body)", reason: "expected object" }]);
      const parsed = parseUntrusted(RestoreRequestSchema, body.value);
      if (!parsed.ok) return badRequest(parsed.issues);
      try {
        const s = services();
        const client = df.getClient(context);
        const outcome = await startRestore(client, s, parsed.value, s.now());
        switch (outcome.kind) {
          case "invalid":
            return badRequest(outcome.issues);
          case "notFound":
            return notFound(outcome.message);
          case "exists":
            return json(409, { error: `restore ${outcome.instanceId} exists already (${outcome.runtimeStatus.toLowerCase()}): it was not started twice; follow it at /api/operations/${outcome.instanceId}`, instanceId: outcome.instanceId, runtimeStatus: outcome.runtimeStatus });
          case "started":
            context.log(`started restore ${outcome.instanceId} of snapshot ${outcome.snapshotId.slice(0, 12)} of share ${parsed.value.shareId}`);
            return client.createCheckStatusResponse(request, outcome.instanceId);
        }
      } catch (err) {
        return failure(context, err);
      }
    },
  });
}
