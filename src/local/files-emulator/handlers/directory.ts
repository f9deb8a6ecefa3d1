/**
 * Directory operations (`restype=directory`): create, delete (DirectoryNotEmpty unless empty), get
 * properties, set metadata, set properties (SMB attributes, times, permission), list, rename.
 */
import { mkdir, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { Errors } from "../errors";
import { send, type Ctx } from "../context";
import type { Entry } from "../store/entry";
import { entryHeaders, metadataHeaders, readAttributes, readMetadata, readPermission, readTime, refuseSnapshot } from "./common";
import type { Env } from "./env";
import { listDirectory } from "./listing";
import { rename } from "./rename";
import { openView } from "./view";

const WRITE_HEADERS = { "x-ms-request-server-encrypted": "true" };

async function create(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const store = env.account.get(share);
  if (names.length === 0) throw Errors.resourceAlreadyExists();
  const parent = store.resolveParent(names);
  const name = names[names.length - 1];
  if (store.tree.child(parent.id, name)) throw Errors.resourceAlreadyExists();
  const now = env.ticks.next();
  const written = readTime(ctx, "x-ms-file-last-write-time", undefined, now.iso);
  const e: Entry = {
    id: store.newId(), parent: parent.id, name, kind: "d", size: 0,
    created: readTime(ctx, "x-ms-file-creation-time", undefined, now.iso), written,
    changed: readTime(ctx, "x-ms-file-change-time", undefined, now.iso),
    modifiedMs: now.ms, etag: "", attrs: readAttributes(ctx, "d", undefined),
    permKey: readPermission(ctx, store, undefined, parent.permKey),
    meta: readMetadata(ctx), http: {}, ver: 0, data: [], epochs: [],
  };
  const saved = await store.gate.withShared(() =>
    store.changing([[parent.id, name]], async () => {
      try {
        await mkdir(join(store.diskPath(parent.id), name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") throw Errors.resourceAlreadyExists();
        throw err;
      }
      const made = store.touched(e, {});
      store.commit([made]);
      return made;
    }),
  );
  send(ctx, 201, { ...WRITE_HEADERS, ...entryHeaders(saved) });
}

async function remove(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const store = env.account.get(share);
  if (names.length === 0) throw Errors.invalidInput("the root directory of a share cannot be deleted");
  const e = store.resolve(names);
  if (e.kind !== "d") throw Errors.resourceNotFound();
  store.reconcile(e.id);
  if (store.tree.childCount(e.id) > 0) throw Errors.directoryNotEmpty();
  await store.gate.withShared(() =>
    store.changing([[e.parent, e.name]], async () => {
      try {
        await rmdir(store.diskPath(e.id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOTEMPTY") throw Errors.directoryNotEmpty();
        throw err;
      }
      store.commit([], [e.id]);
    }),
  );
  send(ctx, 202);
}

function getProperties(ctx: Ctx, env: Env, share: string, names: readonly string[]): void {
  const view = openView(ctx, env.account, share);
  const e = view.resolve(names);
  if (e.kind !== "d") throw Errors.resourceNotFound();
  send(ctx, 200, { ...entryHeaders(e), ...metadataHeaders(e.meta), "x-ms-server-encrypted": "true" });
}

function setMetadata(ctx: Ctx, env: Env, share: string, names: readonly string[]): void {
  const store = env.account.get(share);
  const e = store.resolve(names);
  if (e.kind !== "d") throw Errors.resourceNotFound();
  const saved = store.touched(e, { meta: readMetadata(ctx) });
  store.commit([saved]);
  send(ctx, 200, { ...WRITE_HEADERS, ETag: saved.etag, "Last-Modified": new Date(saved.modifiedMs).toUTCString() });
}

function setProperties(ctx: Ctx, env: Env, share: string, names: readonly string[]): void {
  const store = env.account.get(share);
  const e = store.resolve(names);
  if (e.kind !== "d") throw Errors.resourceNotFound();
  const now = env.ticks.next().iso;
  const parent = store.tree.get(e.parent);
  const saved = store.touched(e, {
    attrs: readAttributes(ctx, "d", e.attrs),
    created: readTime(ctx, "x-ms-file-creation-time", e.created, now),
    written: readTime(ctx, "x-ms-file-last-write-time", e.written, now),
    changed: readTime(ctx, "x-ms-file-change-time", now, now),
    permKey: readPermission(ctx, store, e.permKey, parent?.permKey ?? e.permKey),
  });
  store.commit([saved]);
  send(ctx, 200, { ...WRITE_HEADERS, ...entryHeaders(saved) });
}

/** Dispatches `restype=directory` requests. */
export async function handleDirectory(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const comp = ctx.query.get("comp");
  const m = ctx.method;
  if (m === "GET" || m === "HEAD") {
    if (comp === "list" && m === "GET") return listDirectory(ctx, env, share, names);
    if (comp === undefined || comp === "metadata") return getProperties(ctx, env, share, names);
    throw Errors.featureNotSupported(`directory comp=${comp}`);
  }
  refuseSnapshot(ctx);
  if (m === "DELETE" && comp === undefined) return remove(ctx, env, share, names);
  if (m !== "PUT") throw Errors.unsupportedOperation();
  if (comp === undefined) return create(ctx, env, share, names);
  if (comp === "metadata") return setMetadata(ctx, env, share, names);
  if (comp === "properties") return setProperties(ctx, env, share, names);
  if (comp === "rename") return rename(ctx, env, share, names, "d");
  throw Errors.featureNotSupported(`directory comp=${comp}`);
}
