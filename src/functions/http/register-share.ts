/**
 * `POST /api/shares`: registers a share. 201 with the stored share and its Location; 400 naming the
 * field and the reason (a key, SAS or connection string anywhere in the body is refused without being
 * echoed); 409 when the id is taken.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { ShareExistsError } from "../../core/ports/share-registry";
import { parseRegistration } from "../../core/registry/share";
import type { FrontDoorDeps } from "../front-door";
import { badRequest, failure, json, readJson } from "./responses";

export function registerShareHandler(deps: FrontDoorDeps) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const body = await readJson(request);
    if (!body.ok) return body.response;
    const parsed = parseRegistration(body.value, new Date(deps.now()).toISOString());
    if (!parsed.ok) return badRequest(parsed.issues);
    try {
      await (await deps.shares()).add(parsed.value);
    } catch (err) {
      if (err instanceof ShareExistsError) return json(409, { error: err.message, field: "id" });
      return failure(context, err);
    }
    return json(201, parsed.value, { location: `/api/shares/${parsed.value.id}` });
  };
}

export function registerRegisterShareRoute(deps: FrontDoorDeps): void {
  app.http("registerShare", { route: "shares", methods: ["POST"], authLevel: "function", handler: registerShareHandler(deps) });
}
