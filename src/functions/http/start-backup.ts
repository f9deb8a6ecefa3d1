/**
 * `POST /api/shares/{id}/backups`: starts a backup now. 202 with the durable status URLs
 * (createCheckStatusResponse: Location + statusQueryGetUri...); 409 when a backup of that share is
 * already running (fixed instance id per share: never run twice); 404 for an unknown share. A
 * disabled share can still be backed up on demand (`enabled` pauses the schedule only).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { alreadyRunningMessage } from "../../core/registry/backup-start";
import type { FrontDoorDeps } from "../front-door";
import { failure, json, notFound, shareIdParam } from "./responses";

export function registerStartBackupRoute(deps: FrontDoorDeps): void {
  app.http("startBackup", {
    route: "shares/{id}/backups",
    methods: ["POST"],
    authLevel: "function",
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const id = shareIdParam(request);
      if (!id.ok) return id.response;
      try {
        const share = await (await deps.shares()).get(id.id);
        if (share === undefined) return notFound(`no share with id ${id.id} is registered`);
        const client = df.getClient(context);
        const outcome = await deps.starter(client).start({ shareId: share.id, trigger: "http", requestedAt: new Date(deps.now()).toISOString() });
        if (outcome.kind === "running") {
          return json(409, { error: alreadyRunningMessage(share.id, outcome.instanceId, outcome.runtimeStatus), instanceId: outcome.instanceId, runtimeStatus: outcome.runtimeStatus });
        }
        context.log(`started backup ${outcome.instanceId} of share ${share.id}`);
        return client.createCheckStatusResponse(request, outcome.instanceId);
      } catch (err) {
        return failure(context, err);
      }
    },
  });
}
