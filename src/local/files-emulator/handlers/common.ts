/**
 * Pieces every handler shares: metadata headers, the SMB property headers (attributes, the three
 * times, permission or permission key) in and out, and the response headers of an entry.
 */
import { Errors } from "../errors";
import { header, type Ctx, type Headers } from "../context";
import type { Entry } from "../store/entry";
import type { ShareStore } from "../store/share-store";
import { parseIsoTicks, rfc1123 } from "../time";

const ATTRIBUTES = ["ReadOnly", "Hidden", "System", "None", "Archive", "Temporary", "Offline", "NotContentIndexed", "NoScrubData", "Directory", "Normal"];
const CANONICAL = new Map(ATTRIBUTES.map((a) => [a.toLowerCase(), a]));

export function readMetadata(ctx: Ctx): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (!name.startsWith("x-ms-meta-")) continue;
    const key = name.slice("x-ms-meta-".length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw Errors.invalidInput(`metadata name '${key}' is not a C# identifier`);
    meta[key] = Array.isArray(value) ? value.join(",") : (value ?? "");
  }
  return meta;
}

export function metadataHeaders(meta: Readonly<Record<string, string>>): Headers {
  const h: Headers = {};
  for (const [k, v] of Object.entries(meta)) h[`x-ms-meta-${k}`] = v;
  return h;
}

/** `preserve` or absent keeps `current`; `None` means no attributes; otherwise a pipe list. */
export function readAttributes(ctx: Ctx, kind: "d" | "f", current: string | undefined): string {
  const raw = header(ctx, "x-ms-file-attributes");
  if (raw === undefined || raw.toLowerCase() === "preserve") return current ?? (kind === "d" ? "Directory" : "Archive");
  const parts = raw.split("|").map((p) => p.trim()).filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    const a = CANONICAL.get(p.toLowerCase());
    if (!a) throw Errors.invalidHeaderValue("x-ms-file-attributes", raw);
    if (a !== "None" && a !== "Normal" && a !== "Directory" && !out.includes(a)) out.push(a);
  }
  if (kind === "d") out.unshift("Directory");
  return out.length ? out.join(" | ") : "Normal";
}

/** An SMB time header: `now`, `preserve` (or absent: `current`, or now when there is none) or ISO 8601. */
export function readTime(ctx: Ctx, name: string, current: string | undefined, now: string): string {
  const raw = header(ctx, name);
  if (raw === undefined || raw.toLowerCase() === "preserve") return current ?? now;
  if (raw.toLowerCase() === "now") return now;
  const parsed = parseIsoTicks(raw);
  if (!parsed) throw Errors.invalidHeaderValue(name, raw);
  return parsed;
}

/** The permission key to store: from x-ms-file-permission (SDDL, inherit, preserve) or -key. */
export function readPermission(ctx: Ctx, store: ShareStore, current: string | undefined, inherited: string): string {
  const sddl = header(ctx, "x-ms-file-permission");
  const key = header(ctx, "x-ms-file-permission-key");
  if (sddl !== undefined && key !== undefined) throw Errors.invalidPermissionHeaders();
  if (key !== undefined) {
    if (!store.perms.has(key)) throw Errors.invalidHeaderValue("x-ms-file-permission-key", key);
    return key;
  }
  if (sddl === undefined || sddl.toLowerCase() === "preserve") return current ?? inherited;
  if (sddl.toLowerCase() === "inherit") return inherited;
  const format = (header(ctx, "x-ms-file-permission-format") ?? "sddl").toLowerCase();
  if (format !== "sddl") throw Errors.featureNotSupported("binary permission format");
  return store.perms.add(sddl);
}

export function smbHeaders(e: Entry): Headers {
  return {
    "x-ms-file-id": e.id,
    "x-ms-file-parent-id": e.parent,
    "x-ms-file-permission-key": e.permKey,
    "x-ms-file-attributes": e.attrs,
    "x-ms-file-creation-time": e.created,
    "x-ms-file-last-write-time": e.written,
    "x-ms-file-change-time": e.changed,
  };
}

export function entryHeaders(e: Entry): Headers {
  return { ETag: e.etag, "Last-Modified": rfc1123(e.modifiedMs), ...smbHeaders(e) };
}

/** The share snapshot a read targets, if any (`sharesnapshot=` query parameter). */
export function snapshotParam(ctx: Ctx): string | undefined {
  const v = ctx.query.get("sharesnapshot");
  return v === undefined || v === "" ? undefined : v;
}

/** Writes never target a snapshot. */
export function refuseSnapshot(ctx: Ctx): void {
  if (snapshotParam(ctx) !== undefined) throw Errors.shareSnapshotOperationNotSupported();
}

/** The headers GET and HEAD of a file share. */
export function fileHeaders(e: Entry): Headers {
  const p = e.http;
  const h: Headers = {
    ...entryHeaders(e), ...metadataHeaders(e.meta),
    "x-ms-type": "File", "Content-Type": p.contentType ?? "application/octet-stream", "Accept-Ranges": "bytes",
    "x-ms-server-encrypted": "true", "x-ms-lease-state": "available", "x-ms-lease-status": "unlocked",
  };
  if (p.contentEncoding) h["Content-Encoding"] = p.contentEncoding;
  if (p.contentLanguage) h["Content-Language"] = p.contentLanguage;
  if (p.cacheControl) h["Cache-Control"] = p.cacheControl;
  if (p.contentDisposition) h["Content-Disposition"] = p.contentDisposition;
  return h;
}
