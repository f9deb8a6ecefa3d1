/**
 * Seals one directory into a tree: its listing (from the share snapshot, so it equals what the scan
 * saw), the scan's view of its children (the index's children with this backup's changes applied),
 * and, per file, the content stored in this run or the chunk list of the previous version (from the
 * directory's previous tree, or for a moved-in file from its previous parent's tree). Unchanged child
 * directories keep the tree id their index document holds; sealed ones take the id sealed this run.
 * Guarantees: a file is put in a tree only with content whose size and last-write time match the
 * listing; a file that changed after the scan (live sources) is reported unstable and keeps its
 * previous version, or is left out when there is none; the directory is then marked inconsistent,
 * so the index will not hand its tree id out for reuse. A file that has neither stored content nor
 * a matching previous version (e.g. after `afb index sync`) is read here.
 */
import { PathNotFoundError, type ShareEntry, type ShareReader } from "../ports/share-reader";
import type { NodeIndex, NodeRecord } from "../ports/node-index";
import type { DirectoryNode, FileNode, SnapshotManifest, UnstableFile } from "../repository/model";
import type { Repository } from "../repository/repository";
import { fingerprintOf } from "../scan/fingerprint";
import { childPath, listingDigest, recordOf } from "../scan/records";
import { withoutTree } from "../scan/change-set";
import { ROOT_PARENT } from "../scan/scanner";
import { storeOne, type ContentCounters, type StoredFile } from "./content";
import { metadataOf, withUserMetadata, type PermissionCache } from "./metadata";
import { BackupError, describeError } from "./model";
import type { SealJob, SealPlan } from "./plan";
import { totalsOf, type Totals, type TreeCache } from "./tree-cache";

export interface SealedDir extends Totals {
  readonly treeId: string;
  /** False when the listing differed from the scan (live sources): the tree id must not be reused. */
  readonly consistent: boolean;
  /** The listingDigest of the listing sealed (absent for a tree reused as it was). */
  readonly listing?: string;
}

export interface SealContext {
  readonly shareId: string;
  readonly reader: ShareReader;
  readonly index: NodeIndex;
  readonly repository: Repository;
  readonly plan: SealPlan;
  /** Root tree of the parent snapshot, if any: where previous trees are found by path. */
  readonly parentRoot: string | undefined;
  readonly trees: TreeCache;
  readonly permissions: PermissionCache;
  readonly stored: Map<string, StoredFile>;
  /** Sealed this run; undefined = the directory vanished (live sources). */
  readonly sealed: Map<string, SealedDir | undefined>;
  /** Unchanged directories sealed again on the way (moved under a parent their tree does not name). */
  readonly extraJobs: SealJob[];
  /** Fingerprints to write: the fingerprint alone for a changed node, else the whole record with it. */
  readonly fills: Map<string, NodeRecord | string>;
  readonly unstable: UnstableFile[];
  readonly counters: ContentCounters;
  readonly onRead?: () => void;
}

/** The fields a scan compares: equal means the entry is as the scan saw it. */
export function sameAsScan(rec: NodeRecord, view: NodeRecord): boolean {
  return rec.name === view.name && rec.kind === view.kind && rec.size === view.size && rec.lastWriteTime === view.lastWriteTime && rec.metaHash === view.metaHash;
}

async function listOrUndefined(reader: ShareReader, path: string): Promise<ShareEntry[] | undefined> {
  const out: ShareEntry[] = [];
  try {
    for await (const e of reader.listDirectory(path)) out.push(e);
  } catch (err) {
    if (err instanceof PathNotFoundError) return undefined;
    throw new BackupError(`backup failed listing ${JSON.stringify(path)} of ${reader.description}: ${describeError(err)}`, { cause: err });
  }
  return out;
}

/** The children of `job` as the scan saw them: index children, minus those that left, plus the changes. */
async function scanView(job: SealJob, ctx: SealContext): Promise<Map<string, NodeRecord>> {
  // Read even for a directory the scan found "added": after an interrupted index update its children
  // may already be filed under its FileId (they are then unchanged, not in the change set).
  const view = new Map<string, NodeRecord>();
  for await (const r of ctx.index.listChildren(ctx.shareId, job.fileId)) view.set(r.fileId, r);
  for (const id of ctx.plan.leftParent.get(job.fileId) ?? []) view.delete(id);
  for (const c of ctx.plan.byParent.get(job.fileId) ?? []) view.set(c.node.fileId, c.node);
  return view;
}

/**
 * The directory's tree before this backup: the one its index document named, else (the id was
 * dropped, e.g. by `afb index sync`) the tree at the same path in the parent snapshot when it holds
 * the same directory.
 */
async function previousTree(job: SealJob, ctx: SealContext): Promise<string | undefined> {
  if (job.oldTreeId !== undefined || ctx.parentRoot === undefined) return job.oldTreeId;
  let tree: string | undefined = ctx.parentRoot;
  for (const name of job.path === "" ? [] : job.path.split("/")) {
    const dirs: Iterable<DirectoryNode> = (await ctx.trees.get(tree)).dirs.values();
    tree = undefined;
    for (const d of dirs) if (d.name === name) tree = d.tree;
    if (tree === undefined) return undefined;
  }
  return tree;
}

/** The previous version of a file: in this directory's previous tree, or in its previous parent's. */
async function previousFile(fileId: string, job: SealJob, ctx: SealContext): Promise<FileNode | undefined> {
  const own = await previousTree(job, ctx);
  if (own !== undefined) {
    const f = (await ctx.trees.get(own)).files.get(fileId);
    if (f !== undefined) return f;
  }
  const prevParent = ctx.plan.live.get(fileId)?.previous?.parentFileId;
  const prevTree = prevParent === undefined ? undefined : ctx.plan.oldTreeOf.get(prevParent);
  return prevTree === undefined ? undefined : (await ctx.trees.get(prevTree)).files.get(fileId);
}

async function contentOf(e: ShareEntry, path: string, job: SealJob, ctx: SealContext): Promise<StoredFile | undefined> {
  const stored = ctx.stored.get(e.fileId);
  if (stored !== undefined) return stored;
  const prev = await previousFile(e.fileId, job, ctx);
  if (prev !== undefined && prev.size === e.size && prev.lastWriteTime === e.lastWriteTime) return prev;
  const read = await storeOne(path, e.fileId, e.size, ctx, ctx.unstable);
  if (read !== undefined) ctx.stored.set(e.fileId, read);
  return read;
}

/**
 * An unchanged child directory: its tree id and totals. A tree records its parent, so one sealed
 * under another parent (moved, and the move already in the index, e.g. after `afb index sync`) is
 * sealed again here, itself only: its own subtrees are unchanged.
 */
async function unchangedChild(e: ShareEntry, path: string, v: NodeRecord, tree: string, job: SealJob, ctx: SealContext): Promise<SealedDir | undefined> {
  if (job.oldTreeId !== undefined) {
    const d = (await ctx.trees.get(job.oldTreeId)).dirs.get(e.fileId);
    if (d !== undefined && d.tree === tree) return { treeId: tree, consistent: true, totalFiles: d.totalFiles, totalDirectories: d.totalDirectories, totalSize: d.totalSize };
  }
  const known = await ctx.trees.get(tree);
  if (known.parentId === job.fileId) return { treeId: tree, consistent: true, ...known.totals };
  const child: SealJob = { fileId: e.fileId, parentFileId: job.fileId, path, depth: job.depth + 1, indexed: v, oldTreeId: tree };
  const sealed = await sealDirectory(child, ctx);
  ctx.sealed.set(e.fileId, sealed);
  ctx.extraJobs.push(child);
  return sealed;
}

/** Seals `job`; undefined when the directory vanished (live sources only). */
export async function sealDirectory(job: SealJob, ctx: SealContext): Promise<SealedDir | undefined> {
  const entries = await listOrUndefined(ctx.reader, job.path);
  if (entries === undefined) return undefined;
  const view = await scanView(job, ctx);
  const files: FileNode[] = [];
  const dirs: DirectoryNode[] = [];
  const names = new Set(entries.map((e) => e.name));
  const seen = new Set<string>();
  let consistent = true;
  for (const e of entries) {
    const v = view.get(e.fileId);
    const path = childPath(job.path, e.name);
    if (v === undefined || v.kind !== e.kind) {
      consistent = false; // appeared after the scan: the next backup takes it
      continue;
    }
    seen.add(e.fileId);
    const same = sameAsScan(recordOf(e, job.fileId), v);
    // A file reported unstable keeps its old record (updateIndex): the listing digest must not stand for it.
    if (!same || (e.kind === "file" && ctx.unstable.some((u) => u.fileId === e.fileId))) consistent = false;
    if (e.kind === "file") {
      if (!same) {
        if (!ctx.unstable.some((u) => u.fileId === e.fileId)) ctx.unstable.push({ path, fileId: e.fileId, reason: "changed" });
        ctx.stored.delete(e.fileId);
        const prev = await previousFile(e.fileId, job, ctx);
        if (prev !== undefined && (prev.name === e.name || !names.has(prev.name))) files.push({ ...prev, parentId: job.fileId });
        continue;
      }
      const content = await contentOf(e, path, job, ctx);
      if (content === undefined) {
        consistent = false;
        continue;
      }
      const fingerprint = fingerprintOfContent(content);
      // A changed node is in the change set already: keep only its fingerprint (memory per file).
      if (v.fingerprint !== fingerprint) ctx.fills.set(e.fileId, ctx.plan.live.has(e.fileId) ? fingerprint : { ...v, fingerprint });
      ctx.stored.delete(e.fileId);
      const fresh = ctx.plan.live.has(e.fileId);
      const previous = fresh ? undefined : (await previousFile(e.fileId, job, ctx))?.userMetadata;
      const meta = await withUserMetadata(ctx.reader, path, "file", await metadataOf(e, path, ctx.permissions), fresh, previous);
      files.push({ ...meta, parentId: job.fileId, size: content.size, digest: content.digest, chunks: content.chunks });
    } else {
      const wasSealed = ctx.sealed.has(e.fileId);
      const tree = wasSealed ? ctx.sealed.get(e.fileId)?.treeId : v.treeId;
      const totals = tree === undefined ? undefined : wasSealed ? ctx.sealed.get(e.fileId) : await unchangedChild(e, path, v, tree, job, ctx);
      if (totals === undefined) {
        consistent = false;
        continue;
      }
      if (!totals.consistent) consistent = false;
      const fresh = ctx.plan.live.has(e.fileId);
      const own = fresh ? undefined : await previousTree(job, ctx);
      const previous = own === undefined ? undefined : (await ctx.trees.get(own)).dirs.get(e.fileId)?.userMetadata;
      const meta = await withUserMetadata(ctx.reader, path, "dir", await metadataOf(e, path, ctx.permissions), fresh, previous);
      dirs.push({ ...meta, tree: totals.treeId, totalFiles: totals.totalFiles, totalDirectories: totals.totalDirectories, totalSize: totals.totalSize });
    }
  }
  for (const v of view.values()) {
    if (seen.has(v.fileId)) continue;
    consistent = false;
    if (v.kind === "file" && ctx.stored.delete(v.fileId)) ctx.unstable.push({ path: childPath(job.path, v.name), fileId: v.fileId, reason: "disappeared" });
  }
  const tree = { fileId: job.fileId, parentId: job.parentFileId, files, directories: dirs };
  let id: string;
  try {
    id = (await ctx.repository.putTree(tree)).id;
  } catch (err) {
    throw new BackupError(`backup failed storing the tree of ${JSON.stringify(job.path || "/")}: ${describeError(err)}`, { cause: err });
  }
  return { treeId: id, consistent, listing: listingDigest(entries), ...totalsOf(tree) };
}

/** `record` with the tree id and listing digest of its seal; neither when the seal is unusable (absent, inconsistent). */
export function withTree(record: NodeRecord, sealed: SealedDir | undefined): NodeRecord {
  const rest = withoutTree(record);
  if (sealed === undefined || !sealed.consistent) return rest;
  return sealed.listing === undefined ? { ...rest, treeId: sealed.treeId } : { ...rest, treeId: sealed.treeId, listing: sealed.listing };
}

/** The fingerprint the index keeps for stored content. */
export function fingerprintOfContent(content: StoredFile): string {
  return fingerprintOf(Buffer.from(content.digest, "hex"));
}

/** The manifest's root entry: the sealed root, or the tree id the index holds for an unchanged one. */
export async function rootNode(reader: ShareReader, ctx: Pick<SealContext, "sealed" | "permissions" | "index" | "shareId" | "trees">, parent: SnapshotManifest | undefined): Promise<DirectoryNode> {
  const entry = await reader.getDirectory("");
  const meta = await withUserMetadata(reader, "", "dir", await metadataOf({ ...entry, name: "" }, "", ctx.permissions), true, undefined);
  const sealed = ctx.sealed.get(entry.fileId);
  if (sealed !== undefined) return { ...meta, tree: sealed.treeId, totalFiles: sealed.totalFiles, totalDirectories: sealed.totalDirectories, totalSize: sealed.totalSize };
  let tree: string | undefined;
  for await (const r of ctx.index.listChildren(ctx.shareId, ROOT_PARENT)) if (r.fileId === entry.fileId) tree = r.treeId;
  if (tree === undefined) throw new BackupError(`the root of ${reader.description} was neither sealed nor found with a tree id in ${ctx.index.description}`);
  const totals = parent?.root.tree === tree ? parent.root : (await ctx.trees.get(tree)).totals;
  return { ...meta, tree, totalFiles: totals.totalFiles, totalDirectories: totals.totalDirectories, totalSize: totals.totalSize };
}
