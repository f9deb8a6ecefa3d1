/**
 * The repository's domain model: what a tree (one directory), a file, a snapshot manifest and a chunk
 * reference hold, in plain TypeScript. Ids and digests are lowercase hex SHA-256 (64 digits); FileIds
 * are decimal strings and times are microseconds since the Unix epoch, as the ShareReader port gives
 * them (the format stores 100-ns ticks, the precision of Azure Files, so that a reader with full
 * precision can fill them later without a format change). Only the codecs know the FlatBuffers types.
 */

/** 64 lowercase hex digits. */
export type HexHash = string;

/** Metadata a file and a directory share. */
export interface NodeMetadata {
  /** 64-bit FileId, decimal. */
  readonly fileId: string;
  readonly name: string;
  /** Microseconds since 1970-01-01T00:00:00Z. */
  readonly creationTime: number;
  readonly lastWriteTime: number;
  readonly changeTime: number;
  readonly lastAccessTime: number;
  /** SMB attribute bits (see smb-attributes.ts). */
  readonly attributes: number;
  /** Id of the SDDL stored with Repository.putSddl; absent when no permission was read. */
  readonly permission?: HexHash;
  readonly userMetadata: Readonly<Record<string, string>>;
}

/** One chunk of a file's content, in order. */
export interface ChunkRef {
  readonly id: HexHash;
  readonly length: number;
}

export interface FileNode extends NodeMetadata {
  readonly parentId: string;
  readonly size: number;
  /** SHA-256 over the ordered chunk ids (content-hash.ts). */
  readonly digest: HexHash;
  readonly chunks: readonly ChunkRef[];
}

/** A subdirectory inside its parent's tree (or the root, inside a manifest: name ""). */
export interface DirectoryNode extends NodeMetadata {
  /** Id of the subdirectory's own tree. */
  readonly tree: HexHash;
  /** Totals of the whole subtree. */
  readonly totalFiles: number;
  readonly totalDirectories: number;
  readonly totalSize: number;
}

/** One directory: its children, sorted by name when encoded. */
export interface Tree {
  /** FileId of the directory itself, and of its parent ("0" for the root). */
  readonly fileId: string;
  readonly parentId: string;
  readonly files: readonly FileNode[];
  readonly directories: readonly DirectoryNode[];
}

export type UnstableReason = "changed" | "disappeared";

/** A file that changed or disappeared while it was read from a live share. */
export interface UnstableFile {
  readonly path: string;
  readonly fileId: string;
  readonly reason: UnstableReason;
}

export interface BackupStats {
  readonly files: number;
  readonly directories: number;
  readonly bytes: number;
  readonly filesNew: number;
  readonly filesChanged: number;
  readonly filesUnchanged: number;
  readonly filesRemoved: number;
  readonly bytesRead: number;
  readonly bytesAdded: number;
  readonly chunksAdded: number;
  readonly packsWritten: number;
  readonly treesWritten: number;
}

/** One snapshot of one share. */
export interface SnapshotManifest {
  /** Share key: lowercase letters, digits, '.' and '-' (e.g. the share name, or <account>.<share>). */
  readonly share: string;
  /** The Azure Files share snapshot read from (x-ms-snapshot value); absent when read live. */
  readonly shareSnapshot?: string;
  /** Milliseconds since the Unix epoch: when the backup started. */
  readonly time: number;
  /** The root directory; root.tree identifies the whole tree (Merkle). */
  readonly root: DirectoryNode;
  /** Id of the snapshot this one was computed against. */
  readonly parent?: HexHash;
  readonly tags: readonly string[];
  readonly stats: BackupStats;
  readonly unstableFiles: readonly UnstableFile[];
}

export const EMPTY_STATS: BackupStats = {
  files: 0, directories: 0, bytes: 0, filesNew: 0, filesChanged: 0, filesUnchanged: 0,
  filesRemoved: 0, bytesRead: 0, bytesAdded: 0, chunksAdded: 0, packsWritten: 0, treesWritten: 0,
};
