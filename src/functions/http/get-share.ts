/** `GET /api/shares/{id}`: one share; 400 for an id that cannot exist, 404 for an unknown one. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import type { FrontDoorDeps } from "../front-door";
import { failure, json, notFound, shareIdParam } from "./responses";

export function registerGetShareRoute(deps: FrontDoorDeps): void {
  app.http("getShare", {
    route: "shares/{id}",
    methods: ["GET"],
    authLevel: "function",
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const id = shareIdParam(request);
      if (!id.ok) return id.response;
      try {
        const share = await (await deps.shares()).get(id.id);
        return share === undefined ? notFound(`no share with id ${id.id} is registered`) : json(200, share);
      } catch (err) {
        return failure(context, err);
      }
    },
  });
}
