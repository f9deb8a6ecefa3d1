/**
 * What every HTTP function of the front door shares: JSON responses, 400s that name each field and
 * its problem (never the offending value), the request body read as JSON, and the one mapping from
 * registry failures to status codes (503 when the backend is unavailable, 500 otherwise). Messages go
 * through redact() so a secret can never leave in a response.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { RegistryUnavailableError, ShareRegistryError } from "../../core/ports/share-registry";
import { redact } from "../../core/redact";
import { describeIssues, isValidShareId, type FieldIssue } from "../../core/registry/share";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers };
}

/** 400 with the first problem as `field` + `reason`, and every problem in `issues`. */
export function badRequest(issues: readonly FieldIssue[]): HttpResponseInit {
  const first = issues[0] ?? { field: "(body)", reason: "is invalid" };
  return json(400, { error: redact(`invalid request: ${describeIssues(issues)}`), field: first.field, reason: redact(first.reason), issues: issues.map((i) => ({ field: i.field, reason: redact(i.reason) })) });
}

export function notFound(message: string): HttpResponseInit {
  return json(404, { error: message });
}

/** The request body as JSON, or a 400 naming the body. */
export async function readJson(request: HttpRequest): Promise<{ ok: true; value: unknown } | { ok: false; response: HttpResponseInit }> {
  const text = await request.text();
  if (text.trim().length === 0) return { ok: false, response: badRequest([{ field: "(body)", reason: "is required: send a JSON object" }]) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: badRequest([{ field: "(body)", reason: "is not valid JSON" }]) };
  }
}

/** The `{id}` route parameter if it is a valid share id, else a 400 naming it. */
export function shareIdParam(request: HttpRequest): { ok: true; id: string } | { ok: false; response: HttpResponseInit } {
  const id = request.params.id ?? "";
  if (isValidShareId(id)) return { ok: true, id };
  return { ok: false, response: badRequest([{ field: "id", reason: "must be 1-64 lowercase letters, digits, '.' or '-', start and end with a letter or digit, and not contain '..'" }]) };
}

/** Maps a failure of the registry or the durable client to a response, logging the detail. */
export function failure(context: InvocationContext, err: unknown): HttpResponseInit {
  const message = redact(err instanceof Error ? err.message : String(err));
  context.error(message);
  if (err instanceof RegistryUnavailableError) return json(503, { error: message }, { "retry-after": "5" });
  if (err instanceof ShareRegistryError) return json(500, { error: message });
  return json(500, { error: "internal error: see the function's log" });
}
