"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FilesServer = void 0;
const auth_1 = require("./auth");
const context_1 = require("./context");
const errors_1 = require("./errors");
const faults_1 = require("./faults");
const directory_1 = require("./handlers/directory");
const file_1 = require("./handlers/file");
const rename_1 = require("./handlers/rename");
const service_1 = require("./handlers/service");
const share_1 = require("./handlers/share");
const paths_1 = require("./store/paths");
const ADMIN_FAULTS = "/.emulator/faults";
function translate(err) {
    if (err instanceof errors_1.StorageError)
        return err;
    const code = err?.code;
    if (code === "ENOENT")
        return errors_1.Errors.resourceNotFound();
    if (code === "ENAMETOOLONG")
        return errors_1.Errors.invalidFileOrDirectoryPathName();
    if (code === "ENOTDIR")
        return errors_1.Errors.parentNotFound();
    return errors_1.Errors.internalError();
}
class FilesServer {
    env;
    creds;
    faults;
    onUnexpected;
    constructor(env, creds, faults, onUnexpected) {
        this.env = env;
        this.creds = creds;
        this.faults = faults;
        this.onUnexpected = onUnexpected;
    }
    /** Node http request listener. */
    listener = (req, res) => {
        let ctx;
        try {
            ctx = (0, context_1.makeCtx)(req, res);
        }
        catch (err) {
            const fallback = { req, res, method: req.method ?? "GET", rawPath: "/", rawQuery: "", query: new Map(), requestId: "" };
            (0, context_1.sendError)(fallback, translate(err));
            return;
        }
        this.handle(ctx).catch((err) => {
            const error = translate(err);
            if (error.code === "InternalError")
                this.onUnexpected(err);
            if (res.headersSent)
                res.destroy();
            else
                (0, context_1.sendError)(ctx, error);
        });
    };
    async handle(ctx) {
        if (ctx.rawPath === ADMIN_FAULTS)
            return this.admin(ctx);
        if (this.faults.latencyMs > 0)
            await new Promise((r) => setTimeout(r, this.faults.latencyMs));
        const fault = this.faults.next();
        if (fault === "reset") {
            ctx.req.socket.destroy();
            return;
        }
        if (fault === "busy")
            throw errors_1.Errors.serverBusy();
        const segments = (0, paths_1.splitRequestPath)(ctx.rawPath);
        // Path-style URLs carry the account first. SDK renames build the destination URL without it
        // (setURLPath drops the account segment), so a path that does not start with it is share-first.
        let rest = segments[0] === this.env.account.name ? segments.slice(1) : segments;
        if (rest === segments && ctx.query.get("comp") === "rename")
            rest = (0, rename_1.accountlessRenameTarget)(ctx, this.env.account.name, rest);
        const share = rest[0];
        (0, auth_1.authenticate)(ctx, this.creds, share, rest.slice(1), Date.now());
        if (share === undefined)
            return (0, service_1.handleService)(ctx, this.env);
        const restype = ctx.query.get("restype");
        const names = (0, paths_1.itemNames)(rest.slice(1), (0, context_1.flag)(ctx, "x-ms-allow-trailing-dot"));
        if (restype === "share") {
            if (names.length)
                throw errors_1.Errors.invalidQueryParameter("restype", restype);
            return (0, share_1.handleShare)(ctx, this.env, share);
        }
        if (restype === "directory")
            return (0, directory_1.handleDirectory)(ctx, this.env, share, names);
        if (restype !== undefined)
            throw errors_1.Errors.invalidQueryParameter("restype", restype);
        return (0, file_1.handleFile)(ctx, this.env, share, names);
    }
    /** PUT /.emulator/faults?busy=0.1&latency=5&reset=0.05&seed=7 (loopback test hook; no body). */
    admin(ctx) {
        if (ctx.method !== "PUT")
            throw errors_1.Errors.unsupportedOperation();
        let spec;
        try {
            spec = (0, faults_1.parseFaultSpec)(ctx.rawQuery);
            this.faults.set(spec);
        }
        catch (err) {
            throw errors_1.Errors.invalidInput(err.message);
        }
        (0, context_1.send)(ctx, 200, {}, JSON.stringify(spec), "application/json");
    }
}
exports.FilesServer = FilesServer;
//# sourceMappingURL=server.js.map