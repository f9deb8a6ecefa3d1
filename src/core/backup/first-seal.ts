/**
 * How a first backup seals one directory: its children as the tree and the node index will hold
 * them, from the listing the directory's work was based on (`listed`) and its listing at sealing
 * time (`final`; the same listing for a share snapshot). sealDirectory's rules for a directory whose
 * every child is new, entries matched by name (hard links list one FileId under several names):
 *  - an entry that appeared after the first listing is left for the next backup;
 *  - a file whose size, times or attributes changed between the listings is reported unstable and
 *    left out (a first backup has no previous version to keep); so is one whose read failed;
 *  - an entry gone from the second listing is left out (a stored file is reported disappeared);
 *  - any of these makes the directory inconsistent: its tree id is not recorded in the index, so the
 *    next backup seals it again; a child directory's inconsistency carries up.
 */
import type { NodeRecord } from "../ports/node-index";
import type { ShareEntry, ShareReader } from "../ports/share-reader";
import type { DirectoryNode, FileNode, UnstableFile } from "../repository/model";
import { childPath, recordOf } from "../scan/records";
import type { StoredFile } from "./content";
import { metadataOf, withUserMetadata, type PermissionCache } from "./metadata";
import { fingerprintOfContent, sameAsScan, withTree, type SealedDir } from "./seal";

export interface ChildrenContext {
  readonly reader: ShareReader;
  readonly permissions: PermissionCache;
  readonly unstable: UnstableFile[];
  /** The directory's files stored in this run, by FileId. */
  readonly stored: ReadonlyMap<string, StoredFile>;
  /** Its subdirectories sealed in this run; undefined = vanished. */
  readonly sub: ReadonlyMap<string, SealedDir | undefined>;
}

export interface SealedChildren {
  readonly files: FileNode[];
  readonly dirs: DirectoryNode[];
  /** The children's index records (fingerprints, and tree ids of consistent subdirectories). */
  readonly records: NodeRecord[];
  readonly consistent: boolean;
}

/** The children of `dir` for its tree and the index; see the module comment. */
export async function childrenOf(dir: { readonly path: string; readonly fileId: string }, listed: readonly ShareEntry[], final: readonly ShareEntry[], ctx: ChildrenContext): Promise<SealedChildren> {
  const { reader, permissions, unstable, stored, sub } = ctx;
  const fileId = dir.fileId;
  // By name, not FileId: hard links list one FileId under several names, and each name is kept.
  const view = new Map<string, NodeRecord>();
  for (const e of listed) if (!(e.kind === "dir" && sub.has(e.fileId) && sub.get(e.fileId) === undefined)) view.set(e.name, recordOf(e, fileId));
  const files: FileNode[] = [];
  const dirs: DirectoryNode[] = [];
  const records: NodeRecord[] = [];
  const seen = new Set<string>();
  const changed = new Set<string>();
  let consistent = true;
  for (const e of final) {
    const v = view.get(e.name);
    if (v === undefined || v.fileId !== e.fileId || v.kind !== e.kind) {
      consistent = false; // appeared after the listing: the next backup takes it
      continue;
    }
    seen.add(e.name);
    if (!sameAsScan(recordOf(e, fileId), v)) {
      consistent = false;
      if (e.kind === "file") changed.add(e.fileId);
    }
  }
  for (const e of final) {
    const v = view.get(e.name);
    if (v === undefined || !seen.has(e.name) || v.fileId !== e.fileId || v.kind !== e.kind) continue;
    const path = childPath(dir.path, e.name);
    if (e.kind === "file") {
      const content = stored.get(e.fileId);
      if (changed.has(e.fileId)) {
        if (content !== undefined && !unstable.some((u) => u.fileId === e.fileId)) unstable.push({ path, fileId: e.fileId, reason: "changed" });
        continue;
      }
      if (content === undefined) {
        consistent = false;
        continue;
      }
      const meta = await withUserMetadata(reader, path, "file", await metadataOf(e, path, permissions), true, undefined);
      files.push({ ...meta, parentId: fileId, size: content.size, digest: content.digest, chunks: content.chunks });
      records.push({ ...v, fingerprint: fingerprintOfContent(content) });
    } else {
      const child = sub.get(e.fileId);
      if (child === undefined) {
        consistent = false;
        continue;
      }
      if (!child.consistent) consistent = false;
      const meta = await withUserMetadata(reader, path, "dir", await metadataOf(e, path, permissions), true, undefined);
      dirs.push({ ...meta, tree: child.treeId, totalFiles: child.totalFiles, totalDirectories: child.totalDirectories, totalSize: child.totalSize });
      records.push(withTree(v, child));
    }
  }
  for (const v of view.values()) {
    if (seen.has(v.name)) continue;
    consistent = false;
    if (v.kind === "file" && stored.has(v.fileId) && !unstable.some((u) => u.fileId === v.fileId)) unstable.push({ path: childPath(dir.path, v.name), fileId: v.fileId, reason: "disappeared" });
  }
  return { files, dirs, records, consistent };
}
