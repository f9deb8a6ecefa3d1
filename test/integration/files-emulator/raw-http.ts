/**
 * Raw HTTP requests to the emulator, signed with SharedKey but sent byte-for-byte as given (no URL
 * normalisation, unlike the SDK), for the tests that attack the path handling.
 */
import { createHmac } from "node:crypto";
import { request } from "node:http";

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface RawTarget {
  readonly port: number;
  readonly account: string;
  readonly key: string;
}

function stringToSign(method: string, path: string, headers: Record<string, string>): string {
  const q = path.indexOf("?");
  const rawPath = q < 0 ? path : path.slice(0, q);
  const query = q < 0 ? "" : path.slice(q + 1);
  const h = (n: string) => headers[n] ?? "";
  const len = h("content-length") === "0" ? "" : h("content-length");
  const xms = Object.keys(headers).filter((n) => n.startsWith("x-ms-")).sort().map((n) => `${n}:${headers[n]}\n`).join("");
  const params = query.split("&").filter((p) => /^[^=]+=[^=]+$/.test(p)).map((p) => p.split("=") as [string, string]);
  const canonQuery = params.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `\n${k.toLowerCase()}:${decodeURIComponent(v)}`).join("");
  return [method, h("content-encoding"), h("content-language"), len, h("content-md5"), h("content-type"), "", "", "", "", "", h("range")].join("\n") +
    `\n${xms}/${"ACCOUNT"}${rawPath}${canonQuery}`;
}

/** Sends `method path` with SharedKey auth; `path` is used exactly as written. */
export function rawRequest(t: RawTarget, method: string, path: string, extra: Record<string, string> = {}, body?: Buffer): Promise<RawResponse> {
  const headers: Record<string, string> = {
    "x-ms-date": new Date().toUTCString(),
    "x-ms-version": "2026-10-06",
    "content-length": String(body?.length ?? 0),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const sts = stringToSign(method, path, headers).replace("/ACCOUNT", `/${t.account}`);
  const signature = createHmac("sha256", Buffer.from(t.key, "base64")).update(sts, "utf8").digest("base64");
  headers.authorization = `SharedKey ${t.account}:${signature}`;
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: t.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
