/** `GET /api/shares`: every registered share, sorted by id, as `{ shares: [...] }`. */
import { app, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import type { FrontDoorDeps } from "../front-door";
import { failure, json } from "./responses";

export function registerListSharesRoute(deps: FrontDoorDeps): void {
  app.http("listShares", {
    route: "shares",
    methods: ["GET"],
    authLevel: "function",
    handler: async (_request, context: InvocationContext): Promise<HttpResponseInit> => {
      try {
        return json(200, { shares: await (await deps.shares()).list() });
      } catch (err) {
        return failure(context, err);
      }
    },
  });
}
