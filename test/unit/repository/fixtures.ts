/** Builders of trees, files and manifests for the repository tests. */
import type { DirectoryNode, FileNode, SnapshotManifest, Tree } from "../../../src/core/repository/model";
import { EMPTY_STATS } from "../../../src/core/repository/model";

const T0 = 1_700_000_000_000_000;

export function fileNode(name: string, extra: Partial<FileNode> = {}): FileNode {
  return {
    fileId: String(1000 + name.length),
    parentId: "1",
    name,
    creationTime: T0,
    lastWriteTime: T0 + 1,
    changeTime: T0 + 2,
    lastAccessTime: T0 + 3,
    attributes: 0x20,
    userMetadata: {},
    size: 0,
    digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    chunks: [],
    ...extra,
  };
}

export function dirNode(name: string, tree: string, extra: Partial<DirectoryNode> = {}): DirectoryNode {
  return {
    fileId: "77",
    name,
    creationTime: T0,
    lastWriteTime: T0,
    changeTime: T0,
    lastAccessTime: T0,
    attributes: 0x10,
    userMetadata: {},
    tree,
    totalFiles: 0,
    totalDirectories: 0,
    totalSize: 0,
    ...extra,
  };
}

export function tree(files: FileNode[], directories: DirectoryNode[] = []): Tree {
  return { fileId: "1", parentId: "0", files, directories };
}

export function manifest(share: string, time: number, rootTree: string, extra: Partial<SnapshotManifest> = {}): SnapshotManifest {
  return { share, time, root: dirNode("", rootTree), tags: [], stats: EMPTY_STATS, unstableFiles: [], ...extra };
}

export async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

export async function arrayOf<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
