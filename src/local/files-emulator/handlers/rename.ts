/**
 * Rename (`comp=rename`) of a file or a directory within one share. The FileId travels with the item
 * (so does everything below a directory); an existing destination file is replaced only with
 * x-ms-file-rename-replace-if-exists: true, and its captured bytes are kept for snapshots first.
 */
import { rename as fsRename } from "node:fs/promises";
import { join } from "node:path";
import { Errors } from "../errors";
import { flag, header, send, type Ctx } from "../context";
import type { Kind } from "../store/entry";
import { itemNames, splitRequestPath } from "../store/paths";
import { entryHeaders, readAttributes, readMetadata, readPermission, readTime } from "./common";
import type { Env } from "./env";

function rawSourcePath(ctx: Ctx): string | undefined {
  const raw = header(ctx, "x-ms-file-rename-source");
  if (raw === undefined || raw === "") return undefined;
  try {
    const path = /^https?:\/\//i.test(raw) ? new URL(raw).pathname : raw.split("?")[0];
    return path.startsWith("/") ? path : `/${path}`;
  } catch {
    throw Errors.invalidHeaderValue("x-ms-file-rename-source", raw);
  }
}

/**
 * The destination of a rename whose URL has no account segment. The SDK builds rename destinations
 * with setURLPath(url, `/${shareName}/${path}`), which drops the account of a path-style URL; and a
 * client made from such a URL parses its second segment as the share name. So when the source URL is
 * itself account-less, the share is the source's first segment and the destination's first segment
 * is the SDK's misparsed share name.
 */
export function accountlessRenameTarget(ctx: Ctx, account: string, rest: readonly string[]): string[] {
  const source = rawSourcePath(ctx);
  if (source === undefined) return [...rest];
  const segments = splitRequestPath(source);
  if (segments.length === 0 || segments[0] === account) return [...rest];
  return [segments[0], ...rest.slice(1)];
}

/** The source named by x-ms-file-rename-source: a URL (or path) of an item in the same share. */
function sourceNames(ctx: Ctx, env: Env, share: string): string[] {
  const rawPath = rawSourcePath(ctx);
  if (rawPath === undefined) throw Errors.missingRequiredHeader("x-ms-file-rename-source");
  const segments = splitRequestPath(rawPath);
  if (segments[0] === env.account.name && segments[1] === share) segments.shift();
  if (segments[0] !== share) throw Errors.invalidInput("the rename source must be in the same share");
  return itemNames(segments.slice(1), flag(ctx, "x-ms-source-allow-trailing-dot"));
}

export async function rename(ctx: Ctx, env: Env, share: string, names: readonly string[], kind: Kind): Promise<void> {
  const store = env.account.get(share);
  if (names.length === 0) throw Errors.invalidInput("the root directory cannot be a rename destination");
  const from = sourceNames(ctx, env, share);
  if (from.length === 0) throw Errors.invalidInput("the root directory cannot be renamed");
  const src = store.resolve(from);
  if (src.kind !== kind) throw Errors.resourceTypeMismatch();
  const parent = store.resolveParent(names);
  const name = names[names.length - 1];
  if (store.tree.isAncestor(src.id, parent.id)) throw Errors.invalidInput("a directory cannot move below itself");
  // Every header is validated before the disk changes.
  const now = env.ticks.next().iso;
  const meta = readMetadata(ctx);
  const attrs = readAttributes(ctx, kind, src.attrs);
  const created = readTime(ctx, "x-ms-file-creation-time", src.created, now);
  const written = readTime(ctx, "x-ms-file-last-write-time", src.written, now);
  const changed = readTime(ctx, "x-ms-file-change-time", now, now);
  const permKey = readPermission(ctx, store, src.permKey, parent.permKey);
  const saved = await store.gate.withShared(() =>
    store.changing([[src.parent, src.name], [parent.id, name]], async () => {
      const existing = store.tree.child(parent.id, name);
      const del: string[] = [];
      if (existing && existing.id !== src.id) {
        if (!flag(ctx, "x-ms-file-rename-replace-if-exists") || existing.kind === "d" || src.kind === "d") throw Errors.resourceAlreadyExists();
        if (existing.attrs.includes("ReadOnly") && !flag(ctx, "x-ms-file-rename-ignore-readonly")) throw Errors.resourceAlreadyExists();
        await store.preserve(existing, true);
        del.push(existing.id);
      }
      const current = store.tree.get(src.id) ?? src;
      const srcPath = store.diskPath(src.id);
      const dstPath = join(store.diskPath(parent.id), name);
      if (srcPath !== dstPath) await fsRename(srcPath, dstPath);
      const moved = store.touched(current, {
        parent: parent.id, name, attrs, created, written, changed, permKey,
        meta: Object.keys(meta).length ? meta : current.meta,
      });
      store.commit([moved], del);
      return moved;
    }),
  );
  send(ctx, 200, { "x-ms-request-server-encrypted": "true", ...entryHeaders(saved) });
}
