/**
 * One request as the handlers see it: method, decoded path segments, query (split exactly as the SDK
 * signs it), header access, and the response helpers that add the headers every File service response
 * carries (x-ms-request-id, x-ms-version, Date, x-ms-client-request-id).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Errors, StorageError } from "./errors";
import { errorXml } from "./xml";

export const SERVICE_VERSION = "2026-10-06";

export type Headers = Record<string, string | number>;

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Query parameters, keys lowercased, values percent-decoded. */
  readonly query: ReadonlyMap<string, string>;
  readonly requestId: string;
}

export function makeCtx(req: IncomingMessage, res: ServerResponse): Ctx {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const query = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    try {
      query.set(decodeURIComponent(key).toLowerCase(), decodeURIComponent(value));
    } catch {
      throw Errors.invalidQueryParameter(key, value);
    }
  }
  return { req, res, method: (req.method ?? "GET").toUpperCase(), rawPath, rawQuery, query, requestId: randomUUID() };
}

export function header(ctx: Ctx, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(",") : v;
}

export function flag(ctx: Ctx, name: string): boolean {
  return (header(ctx, name) ?? "").toLowerCase() === "true";
}

function commonHeaders(ctx: Ctx): Headers {
  const h: Headers = {
    "x-ms-request-id": ctx.requestId,
    "x-ms-version": SERVICE_VERSION,
    Date: new Date().toUTCString(),
    Server: "Windows-Azure-File/1.0 Microsoft-HTTPAPI/2.0 (afb-files-emulator)",
  };
  const clientId = header(ctx, "x-ms-client-request-id");
  if (clientId !== undefined) h["x-ms-client-request-id"] = clientId;
  return h;
}

/** Sends a complete response (HEAD never carries a body). */
export function send(ctx: Ctx, status: number, headers: Headers = {}, body?: string | Buffer, contentType?: string): void {
  const h: Headers = { ...commonHeaders(ctx), ...headers };
  const payload = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (payload !== undefined) {
    if (contentType) h["Content-Type"] = contentType;
    h["Content-Length"] = payload.length;
  } else if (!("Content-Length" in h)) {
    h["Content-Length"] = 0;
  }
  ctx.res.writeHead(status, h);
  ctx.res.end(ctx.method === "HEAD" ? undefined : payload);
}

/** Starts a streamed response; the caller pipes the body. */
export function startStream(ctx: Ctx, status: number, headers: Headers): void {
  ctx.res.writeHead(status, { ...commonHeaders(ctx), ...headers });
}

export function sendError(ctx: Ctx, err: StorageError): void {
  const headers: Headers = { "x-ms-error-code": err.code };
  if (ctx.method === "HEAD") {
    send(ctx, err.status, headers);
    return;
  }
  const message = `${err.message}\nRequestId:${ctx.requestId}\nTime:${new Date().toISOString()}`;
  send(ctx, err.status, headers, errorXml(err.code, message, err.extraXml), "application/xml");
}
