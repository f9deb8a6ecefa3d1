/**
 * `DELETE /api/shares/{id}`: forgets a registration (204; 404 when unknown). Its snapshots stay in the
 * repository, and a backup already running finishes; only future starts of the share are refused.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import type { FrontDoorDeps } from "../front-door";
import { failure, notFound, shareIdParam } from "./responses";

export function registerDeleteShareRoute(deps: FrontDoorDeps): void {
  app.http("deleteShare", {
    route: "shares/{id}",
    methods: ["DELETE"],
    authLevel: "function",
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const id = shareIdParam(request);
      if (!id.ok) return id.response;
      try {
        return (await (await deps.shares()).remove(id.id)) ? { status: 204 } : notFound(`no share with id ${id.id} is registered`);
      } catch (err) {
        return failure(context, err);
      }
    },
  });
}
