/**
 * One directory of a scan: list it and compare the listing with the index, reading as little of the
 * index as the directory's record allows. When the record carries the digest of this very listing
 * (NodeRecord.listing), every child record matches the listing, so the files are not read from the
 * index: only the records of the child directories, for the scan to go on below them (none at all
 * for a directory without subdirectories). A child directory without a record or a tree id falls
 * back to the full comparison, so a skip is never taken on an index that does not back it.
 * Guarantees: the changes found are those of ScanState.classifyDirectory against the children; on
 * Cosmos DB an unchanged directory costs one query returning its subdirectories, or nothing.
 */
import type { ShareEntry } from "../ports/share-reader";
import type { NodeIndex, NodeRecord } from "../ports/node-index";
import type { ChangeSet } from "./change-set";
import { listingDigest } from "./records";
import type { DirectoryWork, ScanState } from "./scan-state";

/** The index a scan compares with; absent for a share the index has never seen. */
export interface IndexSide {
  readonly index: NodeIndex;
  readonly shareId: string;
}

/** Point reads in flight for the child directories of one directory. */
const LOOKUPS = 16;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The index's children of one directory, by FileId. */
export async function childrenOf(index: NodeIndex, shareId: string, fileId: string): Promise<Map<string, NodeRecord>> {
  const out = new Map<string, NodeRecord>();
  for await (const r of index.listChildren(shareId, fileId)) out.set(r.fileId, r);
  return out;
}

/** The children to compare with: none for a share the index has never seen. */
function children(side: IndexSide | undefined, fileId: string): Promise<Map<string, NodeRecord>> {
  return side === undefined ? Promise.resolve(new Map()) : childrenOf(side.index, side.shareId, fileId);
}

/**
 * The index's records of the child directories in `entries`, by FileId; undefined when one has no
 * record or no tree id (the caller then compares the children in full, which also finds it untreed).
 * One query of the partition's sealed directories where the index can, else one read per directory.
 */
export async function childDirectories(side: IndexSide, parentFileId: string, entries: readonly ShareEntry[]): Promise<Map<string, NodeRecord> | undefined> {
  const dirs = entries.filter((e) => e.kind === "dir");
  const out = new Map<string, NodeRecord>();
  if (dirs.length === 0) return out;
  if (side.index.listSealedChildren !== undefined) {
    for await (const r of side.index.listSealedChildren(side.shareId, parentFileId)) out.set(r.fileId, r);
  } else {
    for (let i = 0; i < dirs.length; i += LOOKUPS) {
      const found = await Promise.all(dirs.slice(i, i + LOOKUPS).map((e) => side.index.get(side.shareId, { parentFileId, fileId: e.fileId })));
      for (const r of found) if (r !== undefined) out.set(r.fileId, r);
    }
  }
  for (const e of dirs) {
    const r = out.get(e.fileId);
    if (r === undefined || r.kind !== "dir" || r.treeId === undefined) return undefined;
  }
  return out;
}

/**
 * Lists `dir` and classifies it into `state`; returns the subdirectories to list next.
 * `known` is the listing digest the directory's record carries (with a tree id), if any;
 * `previous` loads the directory's record when a full comparison needs it.
 */
export async function listAndClassify(
  state: ScanState,
  dir: DirectoryWork,
  listing: AsyncIterable<ShareEntry>,
  side: IndexSide | undefined,
  known: string | undefined,
  previous: () => Promise<NodeRecord | undefined>,
): Promise<DirectoryWork[]> {
  let entries: ShareEntry[];
  let indexed: Map<string, NodeRecord>;
  let record: NodeRecord | undefined;
  let digest: string | undefined;
  if (side !== undefined && known !== undefined) {
    entries = await all(listing);
    digest = listingDigest(entries);
    if (digest === known) {
      const subdirs = await childDirectories(side, dir.fileId, entries);
      if (subdirs !== undefined) return state.skipDirectory(dir, entries, subdirs);
    }
    [record, indexed] = await Promise.all([previous(), children(side, dir.fileId)]);
  } else {
    [entries, indexed, record] = await Promise.all([all(listing), children(side, dir.fileId), previous()]);
    digest = listingDigest(entries);
  }
  return state.classifyDirectory({ ...dir, previous: record }, entries, indexed, digest);
}

/** The listing digest a directory's record carries, when it can stand for its children. */
export function knownListing(record: NodeRecord | undefined): string | undefined {
  return record?.treeId === undefined ? undefined : record.listing;
}

/** The listing digests a scan found for unchanged directories, for its change set. */
export function listingsOf(state: ScanState): Pick<ChangeSet, "listingFills"> {
  return { listingFills: [...state.listingFills.values()] };
}
