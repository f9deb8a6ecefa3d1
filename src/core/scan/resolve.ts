/**
 * End of a scan: once every directory was listed, FileIds that appeared are matched with FileIds that
 * disappeared (a move, whatever order the two directories were listed in), the rest are additions and
 * deletions. A deleted directory's subtree is read from the index (never listed: it is gone), and a
 * node found there that appeared elsewhere is a move too. Guarantees: each FileId ends in at most one
 * surviving change; a moved directory is one change, its subtree untouched.
 */
import type { NodeIndex, NodeRecord } from "../ports/node-index";
import type { ChangeKind, NodeChange } from "./change-set";
import { childPath, contentChanged } from "./records";
import type { ScanState, Sighting } from "./scan-state";
import type { ScanStats } from "./stats";

function moveOf(from: Sighting, to: Sighting): NodeChange {
  const prev = from.record;
  const modified = contentChanged(prev, to.record);
  const kinds: ChangeKind[] = modified ? ["moved", "modified"] : ["moved"];
  const node: NodeRecord = {
    ...to.record,
    ...(modified || prev.fingerprint === undefined ? {} : { fingerprint: prev.fingerprint }),
    ...(prev.treeId === undefined ? {} : { treeId: prev.treeId }),
  };
  return { kinds, node, previous: prev, path: to.path, depth: from.depth };
}

/** Turns the pending sightings of `state` into changes; reads deleted subtrees from `index`. */
export async function resolveChanges(state: ScanState, index: NodeIndex, shareId: string): Promise<NodeChange[]> {
  const { appeared, disappeared, changes } = state;
  for (const [fileId, to] of appeared) {
    const from = disappeared.get(fileId);
    if (from === undefined || from.record.kind !== to.record.kind) continue;
    changes.set(fileId, moveOf(from, to));
    appeared.delete(fileId);
    disappeared.delete(fileId);
  }
  const deleted: NodeChange[] = [];
  const stack: Sighting[] = [...disappeared.values(), ...state.replaced];
  disappeared.clear();
  while (stack.length > 0) {
    const gone = stack.pop() as Sighting;
    deleted.push({ kinds: ["deleted"], node: gone.record, previous: gone.record, path: gone.path, depth: gone.depth });
    // A FileId also seen alive elsewhere (an index left inconsistent by a scan of a changing live share):
    // remove this stale record only; its subtree is the live directory's.
    if (gone.record.kind !== "dir" || changes.has(gone.record.fileId)) continue;
    for await (const child of index.listChildren(shareId, gone.record.fileId)) {
      const sighting: Sighting = { record: child, path: childPath(gone.path, child.name), depth: gone.depth + 1 };
      const to = appeared.get(child.fileId);
      if (to !== undefined && to.record.kind === child.kind) {
        changes.set(child.fileId, moveOf(sighting, to));
        appeared.delete(child.fileId);
      } else stack.push(sighting);
    }
  }
  for (const [fileId, to] of appeared) changes.set(fileId, { kinds: ["added"], node: to.record, path: to.path, depth: to.depth });
  appeared.clear();
  return [...changes.values(), ...deleted];
}

/** Directories whose children changed lose their tree id; returns the unchanged ones that must be rewritten for it. */
export function dropStaleTrees(changes: NodeChange[], dirty: ReadonlyMap<string, NodeRecord | undefined>): NodeRecord[] {
  const changedDirs = new Set<string>();
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    if (c.node.kind !== "dir" || c.kinds.includes("deleted")) continue;
    changedDirs.add(c.node.fileId);
    if (dirty.has(c.node.fileId) && c.node.treeId !== undefined) {
      const { treeId: _stale, ...node } = c.node;
      changes[i] = { ...c, node };
    }
  }
  const stale: NodeRecord[] = [];
  for (const [fileId, record] of dirty) if (record?.treeId !== undefined && !changedDirs.has(fileId)) stale.push(record);
  return stale;
}

/** Final counts, from the changes themselves. */
export function countChanges(stats: ScanStats, changes: readonly NodeChange[]): void {
  stats.added = stats.modified = stats.renamed = stats.moved = stats.deleted = stats.metadataOnly = stats.candidateBytes = 0;
  for (const c of changes) {
    for (const k of c.kinds) stats[k]++;
    if (c.node.kind === "file" && (c.kinds.includes("added") || c.kinds.includes("modified"))) stats.candidateBytes += c.node.size;
  }
}
