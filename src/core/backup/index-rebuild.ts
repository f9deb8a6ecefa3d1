/**
 * Rebuilds a share's node index from a snapshot's trees: losing the Cosmos account loses nothing.
 * First every record of the share is removed (walked from the root, deepest first), then one record
 * per file and directory of the snapshot is written, with the file fingerprints and directory tree
 * ids, so the next backup reuses every unchanged tree and reads no unchanged content.
 * Guarantees: a crash midway leaves an index the next backup reads correctly (records missing are
 * found as added; their content is found by fingerprint-free dedup). Not guaranteed: that the
 * rebuilt records' metadata hash equals a fresh listing's when the trees do not hold the share's
 * permission keys (Azure Files): the next scan then reports those entries metadata-only, which costs
 * index writes and tree reads but reads no content.
 * Memory: the trees being walked (a stack of tree ids) and one directory's records at a time.
 */
import type { IndexOp, NodeIndex, NodeRecord } from "../ports/node-index";
import type { DirectoryNode, FileNode, NodeMetadata, SnapshotManifest } from "../repository/model";
import type { Repository } from "../repository/repository";
import { formatSmbAttributes } from "../repository/smb-attributes";
import { recordOf } from "../scan/records";
import { ROOT_PARENT } from "../scan/scanner";
import { POSIX_METADATA_KEY } from "./metadata";
import { fingerprintOfContent } from "./seal";

export interface RebuildResult {
  readonly removed: number;
  readonly written: number;
}

function recordFrom(node: NodeMetadata, parentFileId: string, kind: "file" | "dir", size: number): NodeRecord {
  const posix = node.userMetadata[POSIX_METADATA_KEY];
  return recordOf(
    {
      name: node.name,
      fileId: node.fileId,
      kind,
      size,
      creationTime: node.creationTime,
      lastWriteTime: node.lastWriteTime,
      changeTime: node.changeTime,
      attributes: posix ?? formatSmbAttributes(node.attributes),
      permissionKey: "",
      etag: "",
    },
    parentFileId,
  );
}

export function fileRecord(f: FileNode, parentFileId: string): NodeRecord {
  return { ...recordFrom(f, parentFileId, "file", f.size), fingerprint: fingerprintOfContent(f) };
}

export function dirRecord(d: DirectoryNode, parentFileId: string): NodeRecord {
  return { ...recordFrom(d, parentFileId, "dir", 0), treeId: d.tree };
}

/** Deletes every record of `shareId` reachable from the root; returns how many. */
export async function clearShare(index: NodeIndex, shareId: string): Promise<number> {
  // Post-order: a directory's record goes only after its children's (a crash leaves no orphans).
  let removed = 0;
  const visit = async (parentFileId: string): Promise<void> => {
    const ops: IndexOp[] = [];
    for await (const r of index.listChildren(shareId, parentFileId)) {
      if (r.kind === "dir") await visit(r.fileId);
      ops.push({ op: "delete", parentFileId, fileId: r.fileId });
    }
    if (ops.length > 0) removed += (await index.write(shareId, ops)).deletes;
  };
  await visit(ROOT_PARENT);
  return removed;
}

/** Replaces the index of `shareId` with the content of `manifest`. */
export async function rebuildIndex(repository: Repository, index: NodeIndex, shareId: string, manifest: SnapshotManifest | undefined): Promise<RebuildResult> {
  const removed = await clearShare(index, shareId);
  if (manifest === undefined) return { removed, written: 0 };
  let written = 0;
  const pending: string[] = [manifest.root.tree];
  // Directories are written top-down, each with its tree id; children under it follow.
  written += (await index.write(shareId, [{ op: "upsert", node: dirRecord(manifest.root, ROOT_PARENT) }])).upserts;
  while (pending.length > 0) {
    const tree = await repository.getTree(pending.pop() as string);
    const ops: IndexOp[] = [];
    for (const f of tree.files) ops.push({ op: "upsert", node: fileRecord(f, tree.fileId) });
    for (const d of tree.directories) {
      ops.push({ op: "upsert", node: dirRecord(d, tree.fileId) });
      pending.push(d.tree);
    }
    if (ops.length > 0) written += (await index.write(shareId, ops)).upserts;
  }
  return { removed, written };
}
