/**
 * The only state a scan keeps across directories: changes found so far, FileIds that appeared where
 * the index did not have them, FileIds that disappeared from where the index had them, and the
 * directories whose children changed. All of it is bounded by the number of changes, not by the size
 * of the share. `classifyDirectory` compares one listing with the index's children of that directory;
 * `skipDirectory` takes a listing whose digest the directory's record carries without reading them.
 * A directory sealed this run gets the digest of the listing it was sealed from (SealedDir.listing).
 */
import type { ShareEntry } from "../ports/share-reader";
import type { NodeRecord } from "../ports/node-index";
import type { ChangeKind, NodeChange } from "./change-set";
import { childPath, contentChanged, metadataChanged, recordOf } from "./records";
import { emptyStats, type ScanStats } from "./stats";

/** A node seen on one side only (so far): where it is (appeared) or was (disappeared). */
export interface Sighting {
  readonly record: NodeRecord;
  readonly path: string;
  readonly depth: number;
}

/** A directory still to list: its path, FileId, depth, and the index's record of it (if the index had it there). */
export interface DirectoryWork {
  readonly path: string;
  readonly fileId: string;
  readonly depth: number;
  readonly previous: NodeRecord | undefined;
}

export class ScanState {
  readonly stats: ScanStats = emptyStats();
  /** Changes of surviving nodes, by FileId. */
  readonly changes = new Map<string, NodeChange>();
  /** Deletions decided without matching (a FileId whose kind changed: never a move). */
  readonly replaced: Sighting[] = [];
  readonly appeared = new Map<string, Sighting>();
  readonly disappeared = new Map<string, Sighting>();
  /** Directories whose children changed -> the index's record of them when it had one. */
  readonly dirty = new Map<string, NodeRecord | undefined>();
  /** Unchanged directories with a tree id whose record lacks this listing's digest: the record with it. */
  readonly listingFills = new Map<string, NodeRecord>();

  /**
   * Classifies one listing; returns the subdirectories to list next. `digest` is the listing's
   * listingDigest (absent for the root's pseudo parent, which has no record).
   */
  classifyDirectory(dir: DirectoryWork, entries: readonly ShareEntry[], indexed: Map<string, NodeRecord>, digest?: string): DirectoryWork[] {
    const next: DirectoryWork[] = [];
    const depth = dir.depth + 1;
    let changed = false;
    for (const entry of entries) {
      this.count(entry);
      const rec = recordOf(entry, dir.fileId);
      const path = childPath(dir.path, entry.name);
      const prev = indexed.get(entry.fileId);
      indexed.delete(entry.fileId);
      let previous: NodeRecord | undefined;
      if (prev === undefined) {
        this.appeared.set(rec.fileId, { record: rec, path, depth });
        changed = true;
      } else if (prev.kind !== rec.kind) {
        // A FileId reused for the other kind (inodes are reused on local disks): a new node.
        this.replaced.push({ record: prev, path: childPath(dir.path, prev.name), depth });
        this.changes.set(rec.fileId, { kinds: ["added"], node: rec, path, depth });
        changed = true;
      } else {
        previous = prev;
        const kinds = kindsOf(prev, rec);
        if (kinds.length > 0) {
          const modified = kinds.includes("modified");
          const node: NodeRecord = { ...rec, ...(modified || prev.fingerprint === undefined ? {} : { fingerprint: prev.fingerprint }), ...(prev.treeId === undefined ? {} : { treeId: prev.treeId }) };
          this.changes.set(rec.fileId, { kinds, node, previous: prev, path, depth });
          changed = true;
        }
      }
      if (rec.kind === "dir") next.push({ path, fileId: rec.fileId, depth, previous });
    }
    for (const gone of indexed.values()) {
      this.disappeared.set(gone.fileId, { record: gone, path: childPath(dir.path, gone.name), depth });
      changed = true;
    }
    if (changed) this.dirty.set(dir.fileId, dir.previous);
    if (digest !== undefined && !changed && dir.previous?.treeId !== undefined && dir.previous.listing !== digest) {
      this.listingFills.set(dir.fileId, { ...dir.previous, listing: digest });
    }
    return next;
  }

  /**
   * A listing whose digest equals the one the directory's record carries: its children are what the
   * index holds (see NodeRecord.listing), so nothing changed here. `subdirs` holds the index's record
   * of each child directory, read by key; returns the subdirectories to list next.
   */
  skipDirectory(dir: DirectoryWork, entries: readonly ShareEntry[], subdirs: ReadonlyMap<string, NodeRecord>): DirectoryWork[] {
    const next: DirectoryWork[] = [];
    const depth = dir.depth + 1;
    for (const entry of entries) {
      this.count(entry);
      if (entry.kind === "dir") next.push({ path: childPath(dir.path, entry.name), fileId: entry.fileId, depth, previous: subdirs.get(entry.fileId) });
    }
    return next;
  }

  /** A directory that vanished between its parent's listing and its own: as if the parent had not listed it. */
  vanished(dir: DirectoryWork, message: string): void {
    this.stats.errors.push({ path: dir.path, message });
    this.changes.delete(dir.fileId);
    this.appeared.delete(dir.fileId);
    if (dir.previous !== undefined) this.disappeared.set(dir.fileId, { record: dir.previous, path: dir.path, depth: dir.depth });
  }

  private count(entry: ShareEntry): void {
    if (entry.kind === "dir") this.stats.dirs++;
    else {
      this.stats.files++;
      this.stats.bytes += entry.size;
    }
  }
}

/** How a node filed under the same parent changed (empty: unchanged). */
function kindsOf(prev: NodeRecord, next: NodeRecord): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (prev.name !== next.name) kinds.push("renamed");
  if (contentChanged(prev, next)) kinds.push("modified");
  if (kinds.length === 0 && metadataChanged(prev, next)) kinds.push("metadataOnly");
  return kinds;
}
