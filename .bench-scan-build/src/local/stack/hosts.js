"use strict";
/**
 * Which address clients should use for a server bound to a given host. Guarantees: a wildcard bind
 * (0.0.0.0, ::) is advertised as a loopback name the TLS certificate covers; IPv6 literals are
 * bracketed in URLs.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.clientHost = clientHost;
exports.urlHost = urlHost;
/** The host clients connect to for a server listening on `bindHost`. */
function clientHost(bindHost) {
    if (bindHost === "0.0.0.0" || bindHost === "")
        return "127.0.0.1";
    if (bindHost === "::" || bindHost === "[::]")
        return "localhost";
    return bindHost;
}
/** `host` as it appears in a URL. */
function urlHost(host) {
    return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
//# sourceMappingURL=hosts.js.map