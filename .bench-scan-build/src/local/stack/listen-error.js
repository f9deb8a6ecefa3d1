"use strict";
/**
 * Turns a server's listen failure into an error a person can act on: which service, which port, and
 * what to do. Guarantees: the message names the port and the service; the original error is the cause.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.listenError = listenError;
/** Wraps `err` (from listen) into a clear error; errors other than listen failures pass through. */
function listenError(err, service, host, port) {
    const code = err?.code;
    if (code === "EADDRINUSE") {
        return new Error(`port ${port} on ${host} is already in use, so ${service} cannot start there (choose another port or stop what uses it)`, { cause: err });
    }
    if (code === "EACCES") {
        return new Error(`${service} is not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`, { cause: err });
    }
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
        return new Error(`${service} cannot listen on host ${host}: no such local address`, { cause: err });
    }
    return err instanceof Error ? err : new Error(String(err));
}
//# sourceMappingURL=listen-error.js.map