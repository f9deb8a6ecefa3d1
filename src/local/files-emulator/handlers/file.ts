/**
 * File operations on `/{share}/{path}` without restype: create (sparse, zero-filled), get properties,
 * set metadata, set HTTP headers / properties (resize, SMB attributes, times, permission), delete,
 * rename; the byte operations (Put Range, Get, Get Ranges) are in file-content.ts.
 */
import { constants } from "node:fs";
import { open, truncate, unlink } from "node:fs/promises";
import { join } from "node:path";
import { Errors } from "../errors";
import { header, send, type Ctx } from "../context";
import type { Entry, HttpProps } from "../store/entry";
import { rfc1123 } from "../time";
import { entryHeaders, fileHeaders, readAttributes, readMetadata, readPermission, readTime, refuseSnapshot } from "./common";
import type { Env } from "./env";
import { download, listRanges, putRange } from "./file-content";
import { rename } from "./rename";
import { openView } from "./view";

const MAX_FILE = 4 * 1024 ** 4;
const WRITE_HEADERS = { "x-ms-request-server-encrypted": "true" };

function contentLength(ctx: Ctx, required: boolean): number | undefined {
  const raw = header(ctx, "x-ms-content-length");
  if (raw === undefined) {
    if (required) throw Errors.missingRequiredHeader("x-ms-content-length");
    return undefined;
  }
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > MAX_FILE) throw Errors.invalidHeaderValue("x-ms-content-length", raw);
  return n;
}

function httpProps(ctx: Ctx): HttpProps {
  const h = (n: string) => header(ctx, n);
  return {
    contentType: h("x-ms-content-type"), contentEncoding: h("x-ms-content-encoding"), contentLanguage: h("x-ms-content-language"),
    cacheControl: h("x-ms-cache-control"), contentDisposition: h("x-ms-content-disposition"), contentMD5: h("x-ms-content-md5"),
  };
}

async function create(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const type = header(ctx, "x-ms-type");
  if ((type ?? "").toLowerCase() !== "file") throw Errors.invalidHeaderValue("x-ms-type", type ?? "");
  const size = contentLength(ctx, true) as number;
  const store = env.account.get(share);
  if (names.length === 0) throw Errors.resourceAlreadyExists();
  const parent = store.resolveParent(names);
  const name = names[names.length - 1];
  const existing = store.tree.child(parent.id, name);
  if (existing?.kind === "d") throw Errors.resourceAlreadyExists();
  const now = env.ticks.next();
  // Every header is validated before the disk changes.
  const props: Partial<Entry> = {
    created: readTime(ctx, "x-ms-file-creation-time", undefined, now.iso),
    written: readTime(ctx, "x-ms-file-last-write-time", undefined, now.iso),
    changed: readTime(ctx, "x-ms-file-change-time", undefined, now.iso),
    attrs: readAttributes(ctx, "f", undefined),
    permKey: readPermission(ctx, store, undefined, parent.permKey),
    meta: readMetadata(ctx), http: httpProps(ctx), data: [],
  };
  const saved = await store.gate.withShared(() => store.changing([[parent.id, name]], async () => {
    const current = existing && store.tree.get(existing.id);
    const base: Entry = current ?? {
      id: store.newId(), parent: parent.id, name, kind: "f", size: 0, created: now.iso, written: now.iso, changed: now.iso,
      modifiedMs: now.ms, etag: "", attrs: "Archive", permKey: parent.permKey, meta: {}, http: {}, ver: 0, data: [], epochs: [],
    };
    if (current) await store.preserve(current, true);
    // O_NOFOLLOW: a symlink planted in the share folder is never written through.
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
    const fh = await open(join(store.diskPath(parent.id), name), flags).catch((err: NodeJS.ErrnoException) => {
      throw err.code === "ELOOP" || err.code === "EISDIR" ? Errors.resourceAlreadyExists() : err;
    });
    try {
      await fh.truncate(size);
    } finally {
      await fh.close();
    }
    const made = store.contentChanged(base, current ? [[0, current.size]] : [], true, size, props);
    store.commit([made]);
    return made;
  }));
  send(ctx, 201, { ...WRITE_HEADERS, ...entryHeaders(saved) });
}

function getProperties(ctx: Ctx, env: Env, share: string, names: readonly string[]): void {
  const view = openView(ctx, env.account, share);
  const e = view.resolve(names);
  if (e.kind !== "f") throw Errors.resourceNotFound();
  const h = fileHeaders(e);
  if (e.http.contentMD5) h["Content-MD5"] = e.http.contentMD5;
  send(ctx, 200, { ...h, "Content-Length": e.size });
}

function existingFile(env: Env, share: string, names: readonly string[]): Entry {
  const e = env.account.get(share).resolve(names);
  if (e.kind !== "f") throw Errors.resourceNotFound();
  return e;
}

function setMetadata(ctx: Ctx, env: Env, share: string, names: readonly string[]): void {
  const store = env.account.get(share);
  const saved = store.touched(existingFile(env, share, names), { meta: readMetadata(ctx) });
  store.commit([saved]);
  send(ctx, 200, { ...WRITE_HEADERS, ETag: saved.etag, "Last-Modified": rfc1123(saved.modifiedMs) });
}

async function setProperties(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const store = env.account.get(share);
  const size = contentLength(ctx, false);
  const saved = await store.gate.withShared(async () => {
    const e = existingFile(env, share, names);
    const now = env.ticks.next().iso;
    const patch: Partial<Entry> = {
      http: httpProps(ctx),
      attrs: readAttributes(ctx, "f", e.attrs),
      created: readTime(ctx, "x-ms-file-creation-time", e.created, now),
      written: readTime(ctx, "x-ms-file-last-write-time", e.written, now),
      changed: readTime(ctx, "x-ms-file-change-time", now, now),
      permKey: readPermission(ctx, store, e.permKey, store.tree.get(e.parent)?.permKey ?? e.permKey),
    };
    let next: Entry;
    if (size === undefined || size === e.size) {
      next = store.touched(e, patch);
    } else {
      await store.preserve(e);
      await truncate(store.diskPath(e.id), size);
      const changed: [number, number][] = size < e.size ? [[size, e.size]] : [];
      next = store.contentChanged(store.tree.get(e.id) ?? e, changed, true, size, patch);
    }
    store.commit([next]);
    return next;
  });
  send(ctx, 200, { ...WRITE_HEADERS, ...entryHeaders(saved) });
}

async function remove(env: Env, share: string, names: readonly string[], ctx: Ctx): Promise<void> {
  const store = env.account.get(share);
  await store.gate.withShared(async () => {
    const e = existingFile(env, share, names);
    await store.changing([[e.parent, e.name]], async () => {
      if (!(await store.preserve(e, true))) await unlink(store.diskPath(e.id));
      store.commit([], [e.id]);
    });
  });
  send(ctx, 202);
}

/** Dispatches file requests (no restype). */
export async function handleFile(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const comp = ctx.query.get("comp");
  const m = ctx.method;
  if (names.length === 0) throw Errors.invalidQueryParameter("restype", ctx.query.get("restype") ?? "");
  if (m === "HEAD" && comp === undefined) return getProperties(ctx, env, share, names);
  if (m === "GET") {
    if (comp === undefined) return download(ctx, env, share, names);
    if (comp === "rangelist") return listRanges(ctx, env, share, names);
    if (comp === "metadata") return getProperties(ctx, env, share, names);
    throw Errors.featureNotSupported(`file comp=${comp}`);
  }
  refuseSnapshot(ctx);
  if (m === "DELETE" && comp === undefined) return remove(env, share, names, ctx);
  if (m !== "PUT") throw Errors.unsupportedOperation();
  if (comp === undefined) return create(ctx, env, share, names);
  if (comp === "range") return putRange(ctx, env, share, names);
  if (comp === "metadata") return setMetadata(ctx, env, share, names);
  if (comp === "properties") return setProperties(ctx, env, share, names);
  if (comp === "rename") return rename(ctx, env, share, names, "f");
  throw Errors.featureNotSupported(`file comp=${comp}`);
}
