/** What handlers get besides the request: the account's shares, the clock and the public URL. */
import type { AccountStore } from "../store/account";
import type { TickSource } from "../time";

export interface Env {
  readonly account: AccountStore;
  readonly ticks: TickSource;
  /** http://host:port/account */
  readonly url: string;
}

/** Reads a request body into memory; only for small bodies (Put Range <= 4 MiB, JSON permissions). */
export function readBody(req: import("node:http").IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on("end", () => (size > limit ? reject(new RangeError("body too large")) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}
