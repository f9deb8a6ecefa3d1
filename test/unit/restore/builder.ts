/**
 * Builds snapshots for restore tests straight through the Repository API (storeFile, putSddl,
 * putTree, putSnapshot), with every property a restore must carry, and crafts hostile ones: a
 * `hostile` SnapshotContent serves trees the encoder would refuse (names with "/", duplicates), the
 * way a damaged or malicious repository could.
 */
import type { Repository } from "../../../src/core/repository/repository";
import { EMPTY_STATS, type DirectoryNode, type FileNode, type HexHash, type SnapshotManifest, type Tree } from "../../../src/core/repository/model";
import type { SnapshotRef } from "../../../src/core/repository/layout";
import type { SnapshotContent } from "../../../src/core/restore/walk";

export const T0 = 1_750_000_000_123_456;

export interface Props {
  /** FileId (decimal); keep it across snapshots to model renames and moves. Default: a fresh one. */
  readonly id?: number;
  readonly attributes?: number;
  readonly sddl?: string;
  readonly metadata?: Record<string, string>;
  readonly created?: number;
  readonly written?: number;
}
export interface FileSpec extends Props {
  readonly file: string;
  /** Content, or a generator of it (for large files). */
  readonly data: Buffer | (() => AsyncIterable<Buffer>);
}
export interface DirSpec extends Props {
  readonly dir: string;
  readonly children: readonly Spec[];
}
export type Spec = FileSpec | DirSpec;

export const file = (name: string, data: Buffer | string | (() => AsyncIterable<Buffer>), props: Props = {}): FileSpec => ({ file: name, data: typeof data === "string" ? Buffer.from(data) : data, ...props });
export const dir = (name: string, children: readonly Spec[], props: Props = {}): DirSpec => ({ dir: name, children, ...props });

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  if (data.length > 0) yield data;
}

/** A generated file: `size` bytes where every 1 MiB block is zero or pseudo-random, per `pattern`. */
export function blocks(size: number, pattern: (block: number) => boolean, seed = 1): () => AsyncGenerator<Buffer> {
  return async function* () {
    const MiB = 1024 * 1024;
    for (let at = 0, i = 0; at < size; at += MiB, i++) {
      const n = Math.min(MiB, size - at);
      const b = Buffer.alloc(n);
      if (pattern(i)) {
        let x = (seed * 2654435761 + i * 40503) >>> 0 || 1;
        for (let j = 0; j < n; j += 4) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          b.writeUInt32LE(x >>> 0, j);
        }
      }
      yield b;
    }
  };
}

export class SnapshotBuilder {
  private nextId = 100_000;
  constructor(private readonly repo: Repository) {}

  private async meta(name: string, p: Props, dirLike: boolean) {
    const id = p.id ?? this.nextId++;
    return {
      fileId: String(id),
      name,
      creationTime: p.created ?? T0 + id * 1_000_000,
      lastWriteTime: p.written ?? T0 + id * 1_000_000 + 7,
      changeTime: T0,
      lastAccessTime: T0,
      attributes: p.attributes ?? (dirLike ? 0x10 : 0x20),
      ...(p.sddl !== undefined ? { permission: await this.repo.putSddl(p.sddl) } : {}),
      userMetadata: p.metadata ?? {},
    };
  }

  async fileNode(s: FileSpec, parentId: string): Promise<FileNode> {
    const stored = await this.repo.storeFile(Buffer.isBuffer(s.data) ? once(s.data) : s.data());
    return { ...(await this.meta(s.file, s, false)), parentId, size: stored.size, digest: stored.digest, chunks: stored.chunks };
  }

  /** Stores the tree of `children` and returns the directory node that points at it. */
  async dirNode(name: string, children: readonly Spec[], p: Props, parentId: string): Promise<DirectoryNode> {
    const m = await this.meta(name, p, true);
    const files: FileNode[] = [];
    const directories: DirectoryNode[] = [];
    for (const c of children) {
      if ("file" in c) files.push(await this.fileNode(c, m.fileId));
      else directories.push(await this.dirNode(c.dir, c.children, c, m.fileId));
    }
    const tree: Tree = { fileId: m.fileId, parentId, files, directories };
    const { id } = await this.repo.putTree(tree);
    const totalFiles = files.length + directories.reduce((a, d) => a + d.totalFiles, 0);
    const totalSize = files.reduce((a, f) => a + f.size, 0) + directories.reduce((a, d) => a + d.totalSize, 0);
    return { ...m, tree: id, totalFiles, totalDirectories: directories.length + directories.reduce((a, d) => a + d.totalDirectories, 0), totalSize };
  }

  /** Writes a snapshot of `children` for `share` at `time` (ms). */
  async snapshot(children: readonly Spec[], share = "share", time = 1_780_000_000_000, root: Props = {}): Promise<{ ref: SnapshotRef; manifest: SnapshotManifest }> {
    const rootNode = await this.dirNode("", children, root, "0");
    const manifest: SnapshotManifest = { share, time, root: rootNode, tags: [], stats: EMPTY_STATS, unstableFiles: [] };
    return { ref: await this.repo.putSnapshot(manifest), manifest };
  }
}

/** Serves the repository's trees, except `overrides` (by tree id), which may hold names putTree refuses. */
export function hostile(repo: Repository, overrides: ReadonlyMap<HexHash, Tree>): SnapshotContent {
  return {
    getTree: async (id) => overrides.get(id) ?? repo.getTree(id),
    readFile: (chunks) => repo.readFile(chunks),
    getSddl: (id) => repo.getSddl(id),
  };
}
