/**
 * HTTP triggers, locally: finds the registered function for a method and path (the host's route
 * templates under the `api` prefix: `{name}`, `{name?}`, `{name:constraint}`, `{*rest}`), builds the
 * @azure/functions HttpRequest the host would, invokes the handler and turns whatever it returns
 * (an HttpResponse, a response init, or nothing) into status, headers and body bytes.
 * Guarantees: an unknown route is 404 and a wrong method 405, as the host answers; an exception in
 * the handler is a 500 whose `error` (local only, never sent to a client) holds the reason.
 * Function-level keys are not checked (Core Tools does not check them either).
 */
import { HttpRequest, HttpResponse, type HttpResponseInit } from "@azure/functions";
import type { DurableHost } from "./durable-host";
import type { RegisteredFunction } from "./registry";

export const ROUTE_PREFIX = "api";

export interface LocalHttpRequest {
  readonly method: string;
  /** Path after the origin, with the query string: "/api/shares/x?y=1". */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

export interface LocalHttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The handler's exception, for local diagnostics. */
  readonly error?: string;
  text(): string;
  json(): unknown;
}

interface RouteMatch {
  readonly fn: RegisteredFunction;
  readonly params: Record<string, string>;
}

function templateOf(fn: RegisteredFunction): string {
  const route = typeof fn.trigger.route === "string" && fn.trigger.route.length > 0 ? fn.trigger.route : fn.name;
  return route.replace(/^\/+|\/+$/g, "");
}

/** Matches one route template against the path segments after the prefix. */
function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.length === 0 ? [] : template.split("/");
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const param = /^\{(\*?)([A-Za-z_][A-Za-z0-9_]*)(?::[^}?]*)?(\??)\}$/.exec(part);
    if (param === null) {
      if (segments[i] === undefined || segments[i].toLowerCase() !== part.toLowerCase()) return undefined;
      continue;
    }
    const [, catchAll, name, optional] = param;
    if (catchAll === "*") {
      params[name] = segments.slice(i).join("/");
      return params;
    }
    if (segments[i] === undefined) {
      if (optional === "?" && i === parts.length - 1) return params;
      return undefined;
    }
    params[name] = segments[i];
  }
  return segments.length === parts.length ? params : undefined;
}

/** The function serving `method path`, 404 (no route) or 405 (route, other methods). */
export function matchRoute(functions: readonly RegisteredFunction[], method: string, pathname: string): RouteMatch | 404 | 405 {
  const rest = pathname.replace(/^\/+/, "").split("/");
  if (rest[0]?.toLowerCase() !== ROUTE_PREFIX) return 404;
  const segments = rest.slice(1).filter((s, i, all) => s.length > 0 || i < all.length - 1).map((s) => decodeURIComponent(s));
  let methodMismatch = false;
  for (const fn of functions) {
    if (fn.trigger.type !== "httpTrigger") continue;
    const params = matchTemplate(templateOf(fn), segments);
    if (params === undefined) continue;
    const methods = (fn.trigger.methods as string[] | undefined) ?? ["GET", "POST"];
    if (!methods.some((m) => m.toUpperCase() === method.toUpperCase())) {
      methodMismatch = true;
      continue;
    }
    return { fn, params };
  }
  return methodMismatch ? 405 : 404;
}

function response(status: number, headers: Record<string, string>, body: Buffer, error?: string): LocalHttpResponse {
  return {
    status,
    headers,
    body,
    ...(error === undefined ? {} : { error }),
    text: () => body.toString("utf8"),
    json: () => JSON.parse(body.toString("utf8")) as unknown,
  };
}

async function toLocalResponse(result: unknown): Promise<LocalHttpResponse> {
  if (result === undefined || result === null) return response(200, {}, Buffer.alloc(0));
  const res = result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => (headers[key] = value));
  return response(res.status, headers, Buffer.from(await res.arrayBuffer()));
}

/** Invokes the HTTP function registered for the request's method and path on `host`. */
export async function invokeHttp(host: DurableHost, request: LocalHttpRequest, origin = host.origin): Promise<LocalHttpResponse> {
  const url = new URL(request.path, origin);
  const match = matchRoute(host.registry.all(), request.method, url.pathname);
  if (match === 404) return response(404, {}, Buffer.alloc(0));
  if (match === 405) return response(405, {}, Buffer.alloc(0));
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (query[key] = value));
  const body = request.body === undefined ? undefined : typeof request.body === "string" ? { string: request.body } : { bytes: request.body };
  const httpRequest = new HttpRequest({ method: request.method.toUpperCase(), url: url.href, headers: { ...request.headers }, query, params: match.params, ...(body === undefined ? {} : { body }) });
  try {
    const context = host.invocationContext(match.fn);
    return await toLocalResponse(await match.fn.handler(httpRequest, context));
  } catch (err) {
    return response(500, {}, Buffer.alloc(0), err instanceof Error ? err.message : String(err));
  }
}
