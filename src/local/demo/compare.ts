/**
 * Compares two trees of Azure Files shares through the real SDK, the way a user would check a
 * restore: the same names, kinds and sizes, byte-identical content (SHA-256), and the same SMB
 * attributes, creation and last-write times, permission (SDDL, since permission keys differ
 * between shares) and REST user metadata. Returns the differences (empty: identical), at most `max` of them.
 */
import { createHash } from "node:crypto";
import type { ShareClient, ShareDirectoryClient } from "@azure/storage-file-share";

export interface CompareResult {
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
  readonly differences: readonly string[];
}

interface Props {
  readonly attributes: string;
  readonly creation: string;
  readonly lastWrite: string;
  readonly sddl: string;
  readonly metadata: string;
}

async function sddlOf(share: ShareClient, key: string | undefined, cache: Map<string, string>): Promise<string> {
  if (key === undefined) return "";
  let sddl = cache.get(key);
  if (sddl === undefined) {
    sddl = (await share.getPermission(key)).permission;
    cache.set(key, sddl);
  }
  return sddl;
}

async function digest(dir: ShareDirectoryClient, name: string): Promise<string> {
  const res = await dir.getFileClient(name).download();
  const h = createHash("sha256");
  for await (const part of res.readableStreamBody as AsyncIterable<Buffer>) h.update(part);
  return h.digest("hex");
}

/** Compares `a` (under dirA) with `b` (under dirB); see the module comment. */
export async function compareShares(a: ShareClient, b: ShareClient, dirA = "", dirB = "", max = 20): Promise<CompareResult> {
  const differences: string[] = [];
  const sddlA = new Map<string, string>();
  const sddlB = new Map<string, string>();
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  const note = (what: string) => {
    if (differences.length < max) differences.push(what);
  };
  const props = async (share: ShareClient, get: () => Promise<{ fileAttributes?: string; fileCreatedOn?: Date; fileLastWriteOn?: Date; filePermissionKey?: string; metadata?: Record<string, string> }>, cache: Map<string, string>): Promise<Props> => {
    const p = await get();
    const metadata = JSON.stringify(Object.entries(p.metadata ?? {}).sort(([a], [b]) => a.localeCompare(b)));
    return { attributes: p.fileAttributes ?? "", creation: p.fileCreatedOn?.toISOString() ?? "", lastWrite: p.fileLastWriteOn?.toISOString() ?? "", sddl: await sddlOf(share, p.filePermissionKey, cache), metadata };
  };
  const same = (path: string, pa: Props, pb: Props) => {
    for (const k of ["attributes", "creation", "lastWrite", "sddl", "metadata"] as const) if (pa[k] !== pb[k]) note(`${path}: ${k} differs (${pa[k].slice(0, 60)} vs ${pb[k].slice(0, 60)})`);
  };
  const walk = async (path: string, da: ShareDirectoryClient, db: ShareDirectoryClient): Promise<void> => {
    const list = async (d: ShareDirectoryClient) => {
      const out = new Map<string, { kind: "file" | "directory"; size: number }>();
      for await (const e of d.listFilesAndDirectories()) out.set(e.name, { kind: e.kind, size: e.kind === "file" ? e.properties.contentLength : 0 });
      return out;
    };
    const [la, lb] = await Promise.all([list(da), list(db)]);
    for (const name of lb.keys()) if (!la.has(name)) note(`${path}/${name}: only in the restored copy`);
    for (const [name, ea] of la) {
      const p = `${path}/${name}`;
      const eb = lb.get(name);
      if (eb === undefined || eb.kind !== ea.kind) {
        note(`${p}: ${eb === undefined ? "missing from" : "another kind in"} the restored copy`);
        continue;
      }
      if (ea.kind === "directory") {
        dirs++;
        const ca = da.getDirectoryClient(name);
        const cb = db.getDirectoryClient(name);
        same(p, await props(a, () => ca.getProperties(), sddlA), await props(b, () => cb.getProperties(), sddlB));
        await walk(p, ca, cb);
        continue;
      }
      files++;
      bytes += ea.size;
      if (ea.size !== eb.size) note(`${p}: size ${ea.size} vs ${eb.size}`);
      else if ((await digest(da, name)) !== (await digest(db, name))) note(`${p}: content differs`);
      same(p, await props(a, () => da.getFileClient(name).getProperties(), sddlA), await props(b, () => db.getFileClient(name).getProperties(), sddlB));
    }
  };
  await walk(dirA === "" ? "" : `/${dirA}`, dirA === "" ? a.rootDirectoryClient : a.getDirectoryClient(dirA), dirB === "" ? b.rootDirectoryClient : b.getDirectoryClient(dirB));
  return { files, dirs, bytes, differences };
}
