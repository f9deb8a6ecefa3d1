/**
 * Tree codec: one directory <-> one DirectoryMetadata FlatBuffer. Encoding is canonical: children
 * are sorted by name (ordinal UTF-16 order), user metadata by key, and the builder is driven in a
 * fixed order, so equal trees give equal bytes and therefore equal ids (SHA-256 of the bytes).
 * Guarantees: encode rejects what cannot be stored faithfully (bad ids, duplicate or empty names,
 * chunk lengths that do not add up to the size), naming the offending entry.
 */
import { Builder, type Offset } from "flatbuffers";
import { DirectoryEntry, DirectoryMetadata, FileMetadata } from "../../generated";
import {
  byteBuffer, checkCount, decodeGuard, decodeUserMetadata, encodeUserMetadata, fileIdToU64, FORMAT_VERSION,
  hashBytes, hashHex, microsToTicks, offsetVector, packIds, ticksToMicros, unpackIds,
} from "./codec-common";
import { RepositoryCorruptError } from "./errors";
import type { DirectoryNode, FileNode, NodeMetadata, Tree } from "./model";

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function checkNames(tree: Tree): void {
  const seen = new Set<string>();
  for (const n of [...tree.files, ...tree.directories]) {
    if (typeof n.name !== "string" || n.name === "" || n.name.includes("/")) throw new Error(`tree ${tree.fileId}: invalid entry name ${JSON.stringify(n.name)}`);
    if (seen.has(n.name)) throw new Error(`tree ${tree.fileId}: duplicate entry name ${JSON.stringify(n.name)}`);
    seen.add(n.name);
  }
}

function encodeFile(b: Builder, f: FileNode, where: string): Offset {
  const total = f.chunks.reduce((sum, c) => sum + c.length, 0);
  if (total !== f.size) throw new Error(`${where}: chunk lengths add up to ${total}, not to the size ${f.size}`);
  for (const c of f.chunks) if (!Number.isInteger(c.length) || c.length <= 0 || c.length > 0xffffffff) throw new Error(`${where}: invalid chunk length ${c.length}`);
  const name = b.createString(f.name);
  const permission = f.permission === undefined ? 0 : FileMetadata.createPermissionVector(b, hashBytes(f.permission, `${where} permission`));
  const metadata = encodeUserMetadata(b, f.userMetadata);
  const digest = FileMetadata.createContentDigestVector(b, hashBytes(f.digest, `${where} digest`));
  const ids = FileMetadata.createChunkIdsVector(b, packIds(f.chunks.map((c) => c.id), `${where} chunk`));
  const lengths = FileMetadata.createChunkLengthsVector(b, f.chunks.map((c) => c.length));
  FileMetadata.startFileMetadata(b);
  FileMetadata.addFormatVersion(b, FORMAT_VERSION);
  FileMetadata.addFileId(b, fileIdToU64(f.fileId, `${where} fileId`));
  FileMetadata.addParentId(b, fileIdToU64(f.parentId, `${where} parentId`));
  FileMetadata.addName(b, name);
  addTimes(b, FileMetadata, f, where);
  FileMetadata.addAttributes(b, f.attributes >>> 0);
  if (permission !== 0) FileMetadata.addPermission(b, permission);
  FileMetadata.addUserMetadata(b, metadata);
  FileMetadata.addSize(b, checkCount(f.size, `${where} size`));
  FileMetadata.addContentDigest(b, digest);
  FileMetadata.addChunkIds(b, ids);
  FileMetadata.addChunkLengths(b, lengths);
  return FileMetadata.endFileMetadata(b);
}

interface TimeAdders {
  addCreationTime(b: Builder, v: bigint): void;
  addLastWriteTime(b: Builder, v: bigint): void;
  addChangeTime(b: Builder, v: bigint): void;
  addLastAccessTime(b: Builder, v: bigint): void;
}

function addTimes(b: Builder, t: TimeAdders, n: NodeMetadata, where: string): void {
  t.addCreationTime(b, microsToTicks(n.creationTime, `${where} creationTime`));
  t.addLastWriteTime(b, microsToTicks(n.lastWriteTime, `${where} lastWriteTime`));
  t.addChangeTime(b, microsToTicks(n.changeTime, `${where} changeTime`));
  t.addLastAccessTime(b, microsToTicks(n.lastAccessTime, `${where} lastAccessTime`));
}

/** A DirectoryEntry table (also the manifest's root). */
export function encodeDirectoryEntry(b: Builder, d: DirectoryNode, where: string): Offset {
  const name = b.createString(d.name);
  const permission = d.permission === undefined ? 0 : DirectoryEntry.createPermissionVector(b, hashBytes(d.permission, `${where} permission`));
  const metadata = encodeUserMetadata(b, d.userMetadata);
  const tree = DirectoryEntry.createTreeVector(b, hashBytes(d.tree, `${where} tree`));
  DirectoryEntry.startDirectoryEntry(b);
  DirectoryEntry.addFileId(b, fileIdToU64(d.fileId, `${where} fileId`));
  DirectoryEntry.addName(b, name);
  addTimes(b, DirectoryEntry, d, where);
  DirectoryEntry.addAttributes(b, d.attributes >>> 0);
  if (permission !== 0) DirectoryEntry.addPermission(b, permission);
  DirectoryEntry.addUserMetadata(b, metadata);
  DirectoryEntry.addTree(b, tree);
  DirectoryEntry.addTotalFiles(b, checkCount(d.totalFiles, `${where} totalFiles`));
  DirectoryEntry.addTotalDirectories(b, checkCount(d.totalDirectories, `${where} totalDirectories`));
  DirectoryEntry.addTotalSize(b, checkCount(d.totalSize, `${where} totalSize`));
  return DirectoryEntry.endDirectoryEntry(b);
}

/** Canonical bytes of a tree. */
export function encodeTree(tree: Tree): Buffer {
  checkNames(tree);
  const b = new Builder(1024);
  const files = [...tree.files].sort(byName).map((f) => encodeFile(b, f, `tree ${tree.fileId} file ${JSON.stringify(f.name)}`));
  const dirs = [...tree.directories].sort(byName).map((d) => encodeDirectoryEntry(b, d, `tree ${tree.fileId} directory ${JSON.stringify(d.name)}`));
  const filesVec = offsetVector(b, files);
  const dirsVec = offsetVector(b, dirs);
  DirectoryMetadata.startDirectoryMetadata(b);
  DirectoryMetadata.addFormatVersion(b, FORMAT_VERSION);
  DirectoryMetadata.addFileId(b, fileIdToU64(tree.fileId, "tree fileId"));
  DirectoryMetadata.addParentId(b, fileIdToU64(tree.parentId, "tree parentId"));
  DirectoryMetadata.addFiles(b, filesVec);
  DirectoryMetadata.addDirectories(b, dirsVec);
  DirectoryMetadata.addFileCount(b, files.length);
  DirectoryMetadata.addDirectoryCount(b, dirs.length);
  b.finish(DirectoryMetadata.endDirectoryMetadata(b));
  return Buffer.from(b.asUint8Array());
}

function decodeFile(f: FileMetadata): FileNode {
  const name = f.name() ?? "";
  const ids = unpackIds(f.chunkIdsArray(), `file ${name} chunk ids`);
  const lengths = f.chunkLengthsArray() ?? new Uint32Array(0);
  if (ids.length !== lengths.length) throw new RepositoryCorruptError(`file ${name}: ${ids.length} chunk ids but ${lengths.length} lengths`);
  const permission = f.permissionArray();
  return {
    fileId: f.fileId().toString(),
    parentId: f.parentId().toString(),
    name,
    creationTime: ticksToMicros(f.creationTime()),
    lastWriteTime: ticksToMicros(f.lastWriteTime()),
    changeTime: ticksToMicros(f.changeTime()),
    lastAccessTime: ticksToMicros(f.lastAccessTime()),
    attributes: f.attributes(),
    ...(permission === null ? {} : { permission: hashHex(permission, `file ${name} permission`) }),
    userMetadata: decodeUserMetadata(f.userMetadataLength(), (i) => f.userMetadata(i)),
    size: Number(f.size()),
    digest: hashHex(f.contentDigestArray(), `file ${name} digest`),
    chunks: ids.map((id, i) => ({ id, length: lengths[i] })),
  };
}

/** Reads a DirectoryEntry table (also the manifest's root). */
export function decodeDirectoryEntry(d: DirectoryEntry): DirectoryNode {
  const name = d.name() ?? "";
  const permission = d.permissionArray();
  return {
    fileId: d.fileId().toString(),
    name,
    creationTime: ticksToMicros(d.creationTime()),
    lastWriteTime: ticksToMicros(d.lastWriteTime()),
    changeTime: ticksToMicros(d.changeTime()),
    lastAccessTime: ticksToMicros(d.lastAccessTime()),
    attributes: d.attributes(),
    ...(permission === null ? {} : { permission: hashHex(permission, `directory ${name} permission`) }),
    userMetadata: decodeUserMetadata(d.userMetadataLength(), (i) => d.userMetadata(i)),
    tree: hashHex(d.treeArray(), `directory ${name} tree`),
    totalFiles: Number(d.totalFiles()),
    totalDirectories: Number(d.totalDirectories()),
    totalSize: Number(d.totalSize()),
  };
}

export function decodeTree(bytes: Uint8Array): Tree {
  return decodeGuard("tree", () => {
    const t = DirectoryMetadata.getRootAsDirectoryMetadata(byteBuffer(bytes));
    return {
      version: t.formatVersion(),
      value: () => {
        const files: FileNode[] = [];
        for (let i = 0; i < t.filesLength(); i++) files.push(decodeFile(t.files(i)!));
        const directories: DirectoryNode[] = [];
        for (let i = 0; i < t.directoriesLength(); i++) directories.push(decodeDirectoryEntry(t.directories(i)!));
        return { fileId: t.fileId().toString(), parentId: t.parentId().toString(), files, directories };
      },
    };
  });
}
