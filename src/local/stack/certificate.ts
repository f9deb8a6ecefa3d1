/**
 * The self-signed TLS certificate of the local Cosmos endpoint: generated once per data folder (CN
 * localhost, SAN localhost, 127.0.0.1, ::1 and the host clients use) and kept as DIR/cert.pem +
 * DIR/key.pem so that clients can trust exactly this certificate. Guarantees: an existing pair is reused
 * while it is valid for at least another day and covers the host; otherwise a new pair replaces it.
 * Nothing here weakens TLS checks anywhere.
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";

/** PEM contents and the path of the certificate file. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const VALIDITY_DAYS = 825;

function covers(x509: X509Certificate, host: string): boolean {
  return isIP(host) ? x509.checkIP(host) !== undefined : x509.checkHost(host) !== undefined;
}

function reusable(certPem: string, host: string, now: number): boolean {
  try {
    const x509 = new X509Certificate(certPem);
    return Date.parse(x509.validTo) - now > DAY_MS && covers(x509, host);
  } catch {
    return false;
  }
}

type AltName = { type: 2; value: string } | { type: 7; ip: string };

function altNames(host: string): AltName[] {
  const names: AltName[] = [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }];
  if (host !== "localhost" && host !== "127.0.0.1" && host !== "::1") names.push(isIP(host) ? { type: 7, ip: host } : { type: 2, value: host });
  return names;
}

/**
 * Reads DIR/cert.pem + key.pem, or creates them (EC P-256: generating takes milliseconds, not seconds).
 * `host` is the name or address clients connect to.
 */
export async function ensureCertificate(dir: string, host: string, now: number = Date.now()): Promise<TlsMaterial> {
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, "utf8");
    if (reusable(cert, host, now)) return { cert, key: readFileSync(keyPath, "utf8"), certPath };
  }
  const notBeforeDate = new Date(now - DAY_MS);
  const notAfterDate = new Date(now + VALIDITY_DAYS * DAY_MS);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
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
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, pems.cert);
  return { cert: pems.cert, key: pems.private, certPath };
}
