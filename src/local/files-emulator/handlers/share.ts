/**
 * Share operations: create, delete (and delete a snapshot), get properties, set metadata, set
 * properties (quota), create a snapshot, and the share's permission store (create / get permission).
 */
import { Errors } from "../errors";
import { header, send, type Ctx } from "../context";
import { etagOf } from "../store/entry";
import { rfc1123 } from "../time";
import { XML_DECLARATION } from "../xml";
import { metadataHeaders, readMetadata, refuseSnapshot, snapshotParam } from "./common";
import { readBody, type Env } from "./env";

function quotaOf(ctx: Ctx, fallback: number): number {
  const raw = header(ctx, "x-ms-share-quota");
  if (raw === undefined) return fallback;
  const q = Number(raw);
  if (!Number.isInteger(q) || q < 1 || q > 102400) throw Errors.invalidHeaderValue("x-ms-share-quota", raw);
  return q;
}

async function getPermission(ctx: Ctx, env: Env, share: string): Promise<void> {
  const key = header(ctx, "x-ms-file-permission-key");
  if (key === undefined) throw Errors.missingRequiredHeader("x-ms-file-permission-key");
  const sddl = env.account.get(share).perms.get(key);
  send(ctx, 200, {}, JSON.stringify({ permission: sddl, format: "Sddl" }), "application/json; charset=utf-8");
}

async function createPermission(ctx: Ctx, env: Env, share: string): Promise<void> {
  const store = env.account.get(share);
  let body: unknown;
  try {
    body = JSON.parse((await readBody(ctx.req, 64 * 1024)).toString("utf8"));
  } catch {
    throw Errors.invalidInput("the body must be JSON {\"permission\": \"<SDDL>\"}");
  }
  const sddl = (body as { permission?: unknown }).permission;
  if (typeof sddl !== "string") throw Errors.invalidInput("the body must be JSON {\"permission\": \"<SDDL>\"}");
  const format = (body as { format?: unknown }).format;
  if (format !== undefined && String(format).toLowerCase() !== "sddl") throw Errors.featureNotSupported("binary permission format");
  send(ctx, 201, { "x-ms-file-permission-key": store.perms.add(sddl) });
}

async function createSnapshot(ctx: Ctx, env: Env, share: string): Promise<void> {
  const store = env.account.get(share);
  const meta = readMetadata(ctx);
  const info = await store.gate.withExclusive(async () => {
    store.reconcileAll();
    const seq = store.nextSeq();
    const now = env.ticks.next();
    const snap = {
      name: now.iso, seq, createdMs: now.ms, etag: etagOf(seq, now.ms),
      meta: Object.keys(meta).length ? meta : store.props.meta,
    };
    store.snapshots.create(snap, [...store.tree.byId.values()]);
    return snap;
  });
  send(ctx, 201, { "x-ms-snapshot": info.name, ETag: info.etag, "Last-Modified": rfc1123(info.createdMs) });
}

async function getProperties(ctx: Ctx, env: Env, share: string): Promise<void> {
  const store = env.account.get(share);
  const snapName = snapshotParam(ctx);
  const snap = snapName === undefined ? undefined : store.snapshots.find(snapName);
  const p = store.props;
  send(ctx, 200, {
    ...metadataHeaders(snap ? snap.meta : p.meta),
    ETag: snap ? snap.etag : p.etag,
    "Last-Modified": rfc1123(snap ? snap.createdMs : p.modifiedMs),
    "x-ms-share-quota": p.quota,
    "x-ms-lease-status": "unlocked",
    "x-ms-lease-state": "available",
    "x-ms-enabled-protocols": "SMB",
  });
}

/** Share Stats: bytes used by the live files (sizes, sparse regions included, as Azure counts them). */
function getStats(ctx: Ctx, env: Env, share: string): void {
  const store = env.account.get(share);
  store.reconcileAll();
  let used = 0;
  for (const e of store.tree.byId.values()) if (e.kind === "f") used += e.size;
  const p = store.props;
  const xml = `${XML_DECLARATION}<ShareStats><ShareUsageBytes>${used}</ShareUsageBytes></ShareStats>`;
  send(ctx, 200, { ETag: p.etag, "Last-Modified": rfc1123(p.modifiedMs) }, xml, "application/xml");
}

async function remove(ctx: Ctx, env: Env, share: string): Promise<void> {
  const store = env.account.get(share);
  const snapName = snapshotParam(ctx);
  if (snapName !== undefined) {
    store.snapshots.delete(snapName);
  } else {
    const include = (header(ctx, "x-ms-delete-snapshots") ?? "").toLowerCase();
    if (store.snapshots.list().length > 0 && include !== "include" && include !== "include-leased") throw Errors.shareHasSnapshots();
    await env.account.remove(share);
  }
  send(ctx, 202);
}

function touchProps(env: Env, share: string, patch: { quota?: number; meta?: Record<string, string> }): { etag: string; ms: number } {
  const store = env.account.get(share);
  const now = env.ticks.next();
  const etag = etagOf(store.nextSeq(), now.ms);
  store.saveProps({ ...store.props, ...patch, etag, modifiedMs: now.ms });
  return { etag, ms: now.ms };
}

/** Dispatches `restype=share` requests. */
export async function handleShare(ctx: Ctx, env: Env, share: string): Promise<void> {
  const comp = ctx.query.get("comp");
  const m = ctx.method;
  if (comp === "filepermission") return m === "GET" ? getPermission(ctx, env, share) : m === "PUT" ? createPermission(ctx, env, share) : unsupported();
  if (m === "GET" || m === "HEAD") {
    if (comp === undefined || comp === "metadata") return getProperties(ctx, env, share);
    if (comp === "stats" && m === "GET") return getStats(ctx, env, share);
    throw Errors.featureNotSupported(`share comp=${comp}`);
  }
  if (m === "DELETE") return remove(ctx, env, share);
  if (m !== "PUT") return unsupported();
  if (comp === "snapshot") return createSnapshot(ctx, env, share);
  refuseSnapshot(ctx);
  if (comp === undefined) {
    const store = env.account.create(share, quotaOf(ctx, 5120), readMetadata(ctx));
    send(ctx, 201, { ETag: store.props.etag, "Last-Modified": rfc1123(store.props.modifiedMs) });
    return;
  }
  if (comp === "metadata" || comp === "properties") {
    const patch = comp === "metadata" ? { meta: readMetadata(ctx) } : { quota: quotaOf(ctx, env.account.get(share).props.quota) };
    const t = touchProps(env, share, patch);
    send(ctx, 200, { ETag: t.etag, "Last-Modified": rfc1123(t.ms) });
    return;
  }
  throw Errors.featureNotSupported(`share comp=${comp}`);
}

function unsupported(): never {
  throw Errors.unsupportedOperation();
}
