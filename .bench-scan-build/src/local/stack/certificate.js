"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ensureCertificate = ensureCertificate;
/**
 * The self-signed TLS certificate of the local Cosmos endpoint: generated once per data folder (CN
 * localhost, SAN localhost, 127.0.0.1, ::1 and the host clients use) and kept as DIR/cert.pem +
 * DIR/key.pem so that clients can trust exactly this certificate. Guarantees: an existing pair is reused
 * while it is valid for at least another day and covers the host; otherwise a new pair replaces it.
 * Nothing here weakens TLS checks anywhere.
 */
const node_crypto_1 = require("node:crypto");
const node_net_1 = require("node:net");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const selfsigned_1 = require("selfsigned");
const DAY_MS = 24 * 60 * 60 * 1000;
const VALIDITY_DAYS = 825;
function covers(x509, host) {
    return (0, node_net_1.isIP)(host) ? x509.checkIP(host) !== undefined : x509.checkHost(host) !== undefined;
}
function reusable(certPem, host, now) {
    try {
        const x509 = new node_crypto_1.X509Certificate(certPem);
        return Date.parse(x509.validTo) - now > DAY_MS && covers(x509, host);
    }
    catch {
        return false;
    }
}
function altNames(host) {
    const names = [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }];
    if (host !== "localhost" && host !== "127.0.0.1" && host !== "::1")
        names.push((0, node_net_1.isIP)(host) ? { type: 7, ip: host } : { type: 2, value: host });
    return names;
}
/**
 * Reads DIR/cert.pem + key.pem, or creates them (EC P-256: generating takes milliseconds, not seconds).
 * `host` is the name or address clients connect to.
 */
async function ensureCertificate(dir, host, now = Date.now()) {
    const certPath = (0, node_path_1.join)(dir, "cert.pem");
    const keyPath = (0, node_path_1.join)(dir, "key.pem");
    if ((0, node_fs_1.existsSync)(certPath) && (0, node_fs_1.existsSync)(keyPath)) {
        const cert = (0, node_fs_1.readFileSync)(certPath, "utf8");
        if (reusable(cert, host, now))
            return { cert, key: (0, node_fs_1.readFileSync)(keyPath, "utf8"), certPath };
    }
    const notBeforeDate = new Date(now - DAY_MS);
    const notAfterDate = new Date(now + VALIDITY_DAYS * DAY_MS);
    const pems = await (0, selfsigned_1.generate)([{ name: "commonName", value: "localhost" }], {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notBeforeDate,
        notAfterDate,
        extensions: [
            { name: "basicConstraints", cA: false },
            { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
            { name: "extKeyUsage", serverAuth: true },
            { name: "subjectAltName", altNames: altNames(host) },
        ],
    });
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    (0, node_fs_1.writeFileSync)(keyPath, pems.private, { mode: 0o600 });
    (0, node_fs_1.writeFileSync)(certPath, pems.cert);
    return { cert: pems.cert, key: pems.private, certPath };
}
//# sourceMappingURL=certificate.js.map