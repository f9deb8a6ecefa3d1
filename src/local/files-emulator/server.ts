/**
 * The HTTP front of the File emulator: parses and validates the request path (nothing outside the
 * share folder can be named), injects configured faults, authenticates, routes to the share /
 * directory / file / service handlers, and renders every failure as Azure does (status,
 * x-ms-error-code, XML body; HEAD: header only). Unexpected failures become 500 InternalError.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, type Credentials } from "./auth";
import { makeCtx, send, sendError, flag, type Ctx } from "./context";
import { Errors, StorageError } from "./errors";
import { parseFaultSpec, type FaultInjector } from "./faults";
import type { Env } from "./handlers/env";
import { handleDirectory } from "./handlers/directory";
import { handleFile } from "./handlers/file";
import { accountlessRenameTarget } from "./handlers/rename";
import { handleService } from "./handlers/service";
import { handleShare } from "./handlers/share";
import { itemNames, splitRequestPath } from "./store/paths";

const ADMIN_FAULTS = "/.emulator/faults";

function translate(err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return Errors.resourceNotFound();
  if (code === "ENAMETOOLONG") return Errors.invalidFileOrDirectoryPathName();
  if (code === "ENOTDIR") return Errors.parentNotFound();
  return Errors.internalError();
}

export class FilesServer {
  constructor(
    private readonly env: Env,
    private readonly creds: Credentials,
    private readonly faults: FaultInjector,
    private readonly onUnexpected: (err: unknown) => void,
  ) {}

  /** Node http request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    let ctx: Ctx;
    try {
      ctx = makeCtx(req, res);
    } catch (err) {
      const fallback: Ctx = { req, res, method: req.method ?? "GET", rawPath: "/", rawQuery: "", query: new Map(), requestId: "" };
      sendError(fallback, translate(err));
      return;
    }
    this.handle(ctx).catch((err: unknown) => {
      const error = translate(err);
      if (error.code === "InternalError") this.onUnexpected(err);
      if (res.headersSent) res.destroy();
      else sendError(ctx, error);
    });
  };

  private async handle(ctx: Ctx): Promise<void> {
    if (ctx.rawPath === ADMIN_FAULTS) return this.admin(ctx);
    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    const fault = this.faults.next();
    if (fault === "reset") {
      ctx.req.socket.destroy();
      return;
    }
    if (fault === "busy") throw Errors.serverBusy();
    const segments = splitRequestPath(ctx.rawPath);
    // Path-style URLs carry the account first. SDK renames build the destination URL without it
    // (setURLPath drops the account segment), so a path that does not start with it is share-first.
    let rest = segments[0] === this.env.account.name ? segments.slice(1) : segments;
    if (rest === segments && ctx.query.get("comp") === "rename") rest = accountlessRenameTarget(ctx, this.env.account.name, rest);
    const share = rest[0];
    authenticate(ctx, this.creds, share, rest.slice(1), Date.now());
    if (share === undefined) return handleService(ctx, this.env);
    const restype = ctx.query.get("restype");
    const names = itemNames(rest.slice(1), flag(ctx, "x-ms-allow-trailing-dot"));
    if (restype === "share") {
      if (names.length) throw Errors.invalidQueryParameter("restype", restype);
      return handleShare(ctx, this.env, share);
    }
    if (restype === "directory") return handleDirectory(ctx, this.env, share, names);
    if (restype !== undefined) throw Errors.invalidQueryParameter("restype", restype);
    return handleFile(ctx, this.env, share, names);
  }

  /** PUT /.emulator/faults?busy=0.1&latency=5&reset=0.05&seed=7 (loopback test hook; no body). */
  private admin(ctx: Ctx): void {
    if (ctx.method !== "PUT") throw Errors.unsupportedOperation();
    let spec;
    try {
      spec = parseFaultSpec(ctx.rawQuery);
      this.faults.set(spec);
    } catch (err) {
      throw Errors.invalidInput((err as Error).message);
    }
    send(ctx, 200, {}, JSON.stringify(spec), "application/json");
  }
}
