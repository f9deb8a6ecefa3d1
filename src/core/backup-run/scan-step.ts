/**
 * The scan of a distributed backup, one directory per call: `listDirectoryStep` lists one directory
 * of the run's share snapshot, classifies it against the index exactly as the in-process scanner
 * does (ScanState.classifyDirectory), and saves what changed as a DirRecord — only when something
 * did, so an unchanged share costs no writes. `mergeScan` then rebuilds the scanner's state from the
 * records and finishes the scan the same way (moves matched by FileId, deleted subtrees read from the
 * index), so the change set equals the one `scanShare` computes for the same snapshot and index.
 * Guarantees: a retried call overwrites its own record with the same content; the root is classified
 * by `classifyRoot` under the pseudo parent ROOT_PARENT, as the scanner does.
 */
import { createHash } from "node:crypto";
import { PathNotFoundError, type ShareEntry, type ShareReader } from "../ports/share-reader";
import type { NodeIndex, NodeRecord } from "../ports/node-index";
import type { ListDirectoryOutput } from "../orchestration/scan-tree-contract";
import { ScanState, type DirectoryWork } from "../scan/scan-state";
import { ROOT_PARENT, ScanError } from "../scan/scanner";
import { childrenOf, knownListing, listAndClassify } from "../scan/listing-skip";
import { UntreedWatch } from "../backup/untreed-watch";
import { describeError } from "../backup/model";
import { forEachLimit } from "../backup/pool";
import type { RunStore } from "./run-store";
import { decodeToken, depthOf, encodeToken, type DirRecord, type RunInfo } from "./run-model";

export const scanRecordName = (fileId: string): string => `scan/${createHash("sha256").update(fileId, "utf8").digest("hex")}`;

function recordOf(dir: DirectoryWork, state: ScanState, untreed: readonly NodeRecord[], dirty: NodeRecord | null | undefined): DirRecord {
  const listingFill = state.listingFills.get(dir.fileId);
  return {
    fileId: dir.fileId, path: dir.path,
    changes: [...state.changes.values()], replaced: state.replaced,
    appeared: [...state.appeared.values()], disappeared: [...state.disappeared.values()],
    ...(dirty === undefined ? {} : { dirty }), untreed, ...(listingFill === undefined ? {} : { listingFill }),
  };
}

function output(state: ScanState, next: readonly DirectoryWork[], parentFileId: string, errors: number): ListDirectoryOutput {
  const changes = state.changes.size + state.appeared.size + state.disappeared.size + state.replaced.length;
  return {
    dirs: state.stats.dirs, files: state.stats.files, bytes: state.stats.bytes, changes, errors,
    childDirIds: next.map((w) => encodeToken({ fileId: w.fileId, parentFileId, path: w.path, indexed: w.previous !== undefined, listing: knownListing(w.previous) })),
  };
}

/** The root's own classification (under ROOT_PARENT): the root's token, and whether the index knew the root. */
export async function classifyRoot(info: Pick<RunInfo, "shareId">, reader: ShareReader, index: NodeIndex, runs: RunStore): Promise<{ token: string; rootIndexed: boolean }> {
  let root: ShareEntry;
  let indexed: Map<string, NodeRecord>;
  try {
    [root, indexed] = await Promise.all([reader.getDirectory(""), childrenOf(index, info.shareId, ROOT_PARENT)]);
  } catch (err) {
    throw new ScanError(`cannot start the scan of ${reader.description}: ${describeError(err)}`, { cause: err });
  }
  const state = new ScanState();
  const pseudo: DirectoryWork = { path: "", fileId: ROOT_PARENT, depth: -1, previous: undefined };
  const next = state.classifyDirectory(pseudo, [{ ...root, name: "" }], indexed);
  if (state.dirty.has(ROOT_PARENT)) await runs.put(scanRecordName(ROOT_PARENT), recordOf(pseudo, state, [], null));
  return { token: output(state, next, ROOT_PARENT, 0).childDirIds[0], rootIndexed: indexed.size > 0 };
}

/** Lists and classifies the directory `token` names; see the module comment. */
export async function listDirectoryStep(info: RunInfo, token: string, reader: ShareReader, index: NodeIndex, runs: RunStore): Promise<ListDirectoryOutput> {
  const t = decodeToken(token);
  const dir: DirectoryWork = { path: t.path, fileId: t.fileId, depth: depthOf(t.path), previous: undefined };
  const watch = new UntreedWatch(index);
  // The directory's own record is read by key, only when a full comparison needs it (the dirty
  // record, a listing digest to fill): an unchanged directory whose token carries its digest costs none.
  const previous = async (): Promise<NodeRecord | undefined> => (t.indexed ? await index.get(info.shareId, { parentFileId: t.parentFileId, fileId: t.fileId }) : undefined);
  const state = new ScanState();
  let next: DirectoryWork[];
  try {
    next = await listAndClassify(state, dir, reader.listDirectory(t.path), info.fresh ? undefined : { index: watch, shareId: info.shareId }, t.listing, previous);
  } catch (err) {
    if (err instanceof PathNotFoundError) {
      const record: DirRecord = { fileId: t.fileId, path: t.path, changes: [], replaced: [], appeared: [], disappeared: [], untreed: [], vanished: { message: `directory vanished during the scan (deleted or moved): ${describeError(err)}`, previous: (await previous()) ?? null, depth: dir.depth } };
      await runs.put(scanRecordName(t.fileId), record);
      return { dirs: 0, files: 0, bytes: 0, changes: 1, errors: 1, childDirIds: [] };
    }
    throw new ScanError(`scan of ${reader.description} failed at ${JSON.stringify(t.path)}: ${describeError(err)}`, { cause: err });
  }
  const untreed = [...watch.untreed.values()];
  const dirty = state.dirty.has(t.fileId) ? (state.dirty.get(t.fileId) ?? null) : undefined;
  if (dirty !== undefined || untreed.length > 0 || state.listingFills.size > 0) await runs.put(scanRecordName(t.fileId), recordOf(dir, state, untreed, dirty));
  return output(state, next, t.fileId, 0);
}

/** The scanner's state rebuilt from every record of the run, and the untreed directories. */
export async function mergeScan(runs: RunStore, concurrency = 16): Promise<{ state: ScanState; untreed: Map<string, NodeRecord> }> {
  const state = new ScanState();
  const untreed = new Map<string, NodeRecord>();
  const vanished: DirRecord[] = [];
  const names: string[] = [];
  for await (const name of runs.list("scan")) names.push(name);
  await forEachLimit(names, concurrency, async (name) => {
    const r = await runs.get<DirRecord>(name);
    for (const c of r.changes) state.changes.set(c.node.fileId, c);
    for (const s of r.replaced) state.replaced.push(s);
    for (const s of r.appeared) state.appeared.set(s.record.fileId, s);
    for (const s of r.disappeared) state.disappeared.set(s.record.fileId, s);
    if (r.dirty !== undefined) state.dirty.set(r.fileId, r.dirty ?? undefined);
    for (const u of r.untreed) untreed.set(u.fileId, u);
    if (r.vanished !== undefined) vanished.push(r);
    if (r.listingFill !== undefined) state.listingFills.set(r.fileId, r.listingFill);
  });
  for (const r of vanished) {
    const v = r.vanished as NonNullable<DirRecord["vanished"]>;
    state.vanished({ path: r.path, fileId: r.fileId, depth: v.depth, previous: v.previous ?? undefined }, v.message);
  }
  return { state, untreed };
}
