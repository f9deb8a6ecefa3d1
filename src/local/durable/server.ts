/**
 * The local host's HTTP endpoint: `/api/...` runs the registered HTTP functions, and
 * `/runtime/webhooks/durabletask/...` serves the durable extension's API, on one port of 127.0.0.1
 * (0 = ephemeral). Listening also gives the host its origin and the durable client binding data, so
 * `df.getClient(context)` in a function reaches this process and the status URLs it returns work.
 * Guarantees: close() stops accepting, ends idle keep-alive sockets and resolves when the port is free.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DurableHost } from "./durable-host";
import { WEBHOOK_PATH, clientDataFor, handleDurableApi } from "./durable-api";
import { invokeHttp } from "./http-functions";

export interface LocalFunctionsServer {
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(status, { ...headers, "content-length": String(body.length) });
  res.end(body);
}

async function serve(host: DurableHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", host.origin);
  const body = await readBody(req);
  const method = req.method ?? "GET";
  if (url.pathname.startsWith(WEBHOOK_PATH)) {
    const r = await handleDurableApi(host, method, url.pathname.slice(WEBHOOK_PATH.length), url.searchParams, body.toString("utf8"));
    const payload = r.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(r.body));
    send(res, r.status, r.body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }, payload);
    return;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
  const r = await invokeHttp(host, { method, path: `${url.pathname}${url.search}`, headers, ...(body.length > 0 ? { body } : {}) });
  send(res, r.status, r.headers, r.body);
}

/** Starts serving `host` on 127.0.0.1:`port` and wires the durable client to it. */
export async function listen(host: DurableHost, port = 0): Promise<LocalFunctionsServer> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port} for the local Functions host`);
  const server: Server = createServer((req, res) => {
    serve(host, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, {}, Buffer.from(err instanceof Error ? err.message : String(err)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new Error(`the local Functions host cannot listen on 127.0.0.1:${port}: ${err.message}`, { cause: err })));
    server.listen(port, "127.0.0.1", resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${actual}`;
  host.origin = origin;
  host.clientData = clientDataFor(origin, host.taskHub);
  return {
    origin,
    port: actual,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
