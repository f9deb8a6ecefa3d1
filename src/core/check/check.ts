/**
 * Verifies a repository: (1) every pack is well-formed (footer, trailer checksum, entries inside the
 * body); (2) with read-data, every chunk of every pack (or of a random subset of packs) is re-hashed;
 * (3) the chunk index points every chunk at the pack, offset and length the packs say; (4) every
 * snapshot's manifest, trees and security descriptors exist and match their ids, every file's chunk
 * list matches its size and digest, and every chunk it needs is in a healthy pack. Problems name
 * the object and, for missing or damaged data, the snapshots and files affected (the first few).
 * Reads each pack's trailer (two range reads), each distinct tree and SDDL once, and with read-data
 * each selected pack whole.
 */
import { createHash } from "node:crypto";
import { contentDigest } from "../chunking/content-hash";
import type { ChunkLocation } from "../repository/codec-index";
import { packKey } from "../repository/layout";
import type { HexHash } from "../repository/model";
import { readAll } from "../repository/object-store";
import type { Repository } from "../repository/repository";

export interface CheckOptions {
  /** Share of packs whose chunks are re-hashed: 0 (structure only, default) to 1 (all). */
  readonly readDataFraction?: number;
  /** Picks the subset for fractions below 1 (values in [0, 1)). */
  readonly random?: () => number;
}

export interface CheckReport {
  readonly packs: number;
  readonly packsRead: number;
  readonly chunks: number;
  readonly snapshots: number;
  readonly trees: number;
  readonly problems: string[];
}

const MAX_AFFECTED = 5;

export async function checkRepository(repo: Repository, o: CheckOptions = {}): Promise<CheckReport> {
  const problems: string[] = [];
  const fraction = o.readDataFraction ?? 0;
  const located = new Map<HexHash, ChunkLocation>();
  const bad = new Map<HexHash, string>();
  const also = new Map<HexHash, string[]>();
  let packs = 0;
  let packsRead = 0;
  for await (const pack of repo.listPacks()) {
    packs++;
    let entries;
    try {
      entries = await repo.packEntries(pack);
    } catch (err) {
      problems.push(`pack ${pack.id}: ${(err as Error).message}`);
      continue;
    }
    for (const e of entries) {
      // A chunk stored twice (two writers at once) is fine; the index may point at either copy.
      if (located.has(e.id)) (also.get(e.id) ?? also.set(e.id, []).get(e.id)!).push(`${pack.id}:${e.offset}:${e.length}`);
      else located.set(e.id, { ...e, pack: pack.id });
    }
    if (fraction <= 0 || (fraction < 1 && (o.random ?? (() => 0))() >= fraction)) continue;
    packsRead++;
    const bytes = await readAll(repo.store, packKey(pack.id));
    for (const e of entries) {
      if (createHash("sha256").update(bytes.subarray(e.offset, e.offset + e.length)).digest("hex") !== e.id) {
        bad.set(e.id, `chunk ${e.id} in pack ${pack.id} does not match its id`);
        problems.push(bad.get(e.id)!);
      }
    }
  }

  for (const [id, at] of located) {
    const indexed = await repo.index.lookup(id);
    if (indexed === undefined) problems.push(`index: chunk ${id} of pack ${at.pack} is not in the chunk index (run index rebuild)`);
    else if (indexed.pack !== at.pack || indexed.offset !== at.offset || indexed.length !== at.length) {
      if (!(also.get(id) ?? []).includes(`${indexed.pack}:${indexed.offset}:${indexed.length}`)) problems.push(`index: chunk ${id} is indexed at pack ${indexed.pack} ${indexed.offset}+${indexed.length}, the packs say ${at.pack} ${at.offset}+${at.length}`);
    }
  }

  const affected = new Map<string, { snapshots: Set<string>; files: string[] }>();
  const note = (what: string, snapshot: string, path: string) => {
    const a = affected.get(what) ?? affected.set(what, { snapshots: new Set(), files: [] }).get(what)!;
    a.snapshots.add(snapshot);
    if (a.files.length < MAX_AFFECTED && !a.files.includes(path)) a.files.push(path);
  };
  const sddlOk = new Map<HexHash, boolean>();
  const checkSddl = async (id: HexHash | undefined, snapshot: string, path: string) => {
    if (id === undefined) return;
    if (!sddlOk.has(id)) sddlOk.set(id, await repo.getSddl(id).then(() => true, () => false));
    if (!sddlOk.get(id)) note(`security descriptor ${id} is missing or damaged`, snapshot, path || "/");
  };
  const treeOk = new Map<HexHash, boolean>();
  let snapshots = 0;
  for await (const ref of repo.listSnapshots()) {
    snapshots++;
    const name = `${ref.share}@${ref.id.slice(0, 12)}`;
    let root;
    try {
      root = (await repo.getSnapshot(ref)).root;
    } catch (err) {
      problems.push(`snapshot ${ref.key}: ${(err as Error).message}`);
      continue;
    }
    await checkSddl(root.permission, name, "");
    const seen = new Set<HexHash>();
    const stack: Array<[HexHash, string]> = [[root.tree, ""]];
    while (stack.length > 0) {
      const [id, path] = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      let tree;
      try {
        tree = await repo.getTree(id);
        treeOk.set(id, true);
      } catch (err) {
        if (treeOk.get(id) !== false) problems.push(`tree ${id}: ${(err as Error).message}`);
        treeOk.set(id, false);
        note(`tree ${id} is missing or damaged: everything below it is lost`, name, path || "/");
        continue;
      }
      for (const f of tree.files) {
        const p = path === "" ? f.name : `${path}/${f.name}`;
        await checkSddl(f.permission, name, p);
        const digest = contentDigest(f.chunks.map((c) => Buffer.from(c.id, "hex"))).toString("hex");
        if (digest !== f.digest || f.chunks.reduce((n, c) => n + c.length, 0) !== f.size) note("chunk lists that do not match their file's size or digest", name, p);
        for (const c of f.chunks) {
          if (!located.has(c.id)) note(`chunk ${c.id} is in no healthy pack`, name, p);
          else if (bad.has(c.id)) note(`chunk ${c.id} is damaged`, name, p);
        }
      }
      for (const d of tree.directories) {
        await checkSddl(d.permission, name, path === "" ? d.name : `${path}/${d.name}`);
        stack.push([d.tree, path === "" ? d.name : `${path}/${d.name}`]);
      }
    }
  }
  for (const [what, a] of affected) problems.push(`${what}; affects snapshot(s) ${[...a.snapshots].join(", ")}: ${a.files.map((f) => JSON.stringify(f)).join(", ")}${a.files.length === MAX_AFFECTED ? ", ..." : ""}`);
  return { packs, packsRead, chunks: located.size, snapshots, trees: treeOk.size, problems };
}
