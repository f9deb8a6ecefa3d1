/**
 * Snapshot manifest codec: SnapshotManifest <-> BackupManifest FlatBuffer. Canonical like the tree
 * codec (the snapshot id is the SHA-256 of these bytes). Guarantees: encode validates the share key,
 * ids, counts and time, naming the bad field; decode rejects unknown format versions.
 */
import { Builder } from "flatbuffers";
import { BackupManifest, BackupStats as FbStats, UnstableFile as FbUnstable, UnstableReason as FbReason } from "../../generated";
import { byteBuffer, checkCount, decodeGuard, fileIdToU64, FORMAT_VERSION, hashBytes, hashHex, offsetVector } from "./codec-common";
import { decodeDirectoryEntry, encodeDirectoryEntry } from "./codec-tree";
import { RepositoryCorruptError } from "./errors";
import type { BackupStats, SnapshotManifest, UnstableFile } from "./model";

/** Share keys become blob name segments: keep them to a safe, sortable alphabet. */
export const SHARE_KEY = /^[a-z0-9](?:[a-z0-9.-]{0,126}[a-z0-9])?$/;

export function checkShareKey(share: string): void {
  if (typeof share !== "string" || !SHARE_KEY.test(share) || share.includes("..")) {
    throw new Error(`share key must be 1-128 lowercase letters, digits, '.' or '-' (not at either end), got ${JSON.stringify(share)}`);
  }
}

const STAT_FIELDS: readonly (keyof BackupStats)[] = [
  "files", "directories", "bytes", "filesNew", "filesChanged", "filesUnchanged",
  "filesRemoved", "bytesRead", "bytesAdded", "chunksAdded", "packsWritten", "treesWritten",
];

function encodeStats(b: Builder, stats: BackupStats): number {
  const v = STAT_FIELDS.map((k) => checkCount(stats[k], `stats.${k}`));
  return FbStats.createBackupStats(b, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
}

function decodeStats(s: FbStats | null): BackupStats {
  const n = (x: bigint | undefined): number => Number(x ?? 0n);
  return {
    files: n(s?.files()), directories: n(s?.directories()), bytes: n(s?.bytes()),
    filesNew: n(s?.filesNew()), filesChanged: n(s?.filesChanged()), filesUnchanged: n(s?.filesUnchanged()),
    filesRemoved: n(s?.filesRemoved()), bytesRead: n(s?.bytesRead()), bytesAdded: n(s?.bytesAdded()),
    chunksAdded: n(s?.chunksAdded()), packsWritten: n(s?.packsWritten()), treesWritten: n(s?.treesWritten()),
  };
}

function encodeUnstable(b: Builder, u: UnstableFile, i: number): number {
  if (u.reason !== "changed" && u.reason !== "disappeared") throw new Error(`unstableFiles[${i}].reason must be "changed" or "disappeared"`);
  const path = b.createString(u.path);
  return FbUnstable.createUnstableFile(b, path, fileIdToU64(u.fileId, `unstableFiles[${i}].fileId`), u.reason === "changed" ? FbReason.Changed : FbReason.Disappeared);
}

export function encodeManifest(m: SnapshotManifest): Buffer {
  checkShareKey(m.share);
  if (!Number.isSafeInteger(m.time) || m.time < 0) throw new Error(`snapshot time must be milliseconds since the epoch, got ${m.time}`);
  const b = new Builder(1024);
  const share = b.createString(m.share);
  const shareSnapshot = m.shareSnapshot === undefined ? 0 : b.createString(m.shareSnapshot);
  const root = encodeDirectoryEntry(b, m.root, "snapshot root");
  const parent = m.parent === undefined ? 0 : BackupManifest.createParentSnapshotVector(b, hashBytes(m.parent, "parent snapshot"));
  const tags = BackupManifest.createTagsVector(b, [...m.tags].map((t) => b.createString(t)));
  const stats = encodeStats(b, m.stats);
  const unstable = offsetVector(b, m.unstableFiles.map((u, i) => encodeUnstable(b, u, i)));
  BackupManifest.startBackupManifest(b);
  BackupManifest.addFormatVersion(b, FORMAT_VERSION);
  BackupManifest.addShare(b, share);
  if (shareSnapshot !== 0) BackupManifest.addShareSnapshot(b, shareSnapshot);
  BackupManifest.addTime(b, BigInt(m.time));
  BackupManifest.addRoot(b, root);
  if (parent !== 0) BackupManifest.addParentSnapshot(b, parent);
  BackupManifest.addTags(b, tags);
  BackupManifest.addStats(b, stats);
  BackupManifest.addUnstableFiles(b, unstable);
  b.finish(BackupManifest.endBackupManifest(b));
  return Buffer.from(b.asUint8Array());
}

export function decodeManifest(bytes: Uint8Array): SnapshotManifest {
  return decodeGuard("snapshot manifest", () => {
    const m = BackupManifest.getRootAsBackupManifest(byteBuffer(bytes));
    return {
      version: m.formatVersion(),
      value: () => {
        const root = m.root();
        if (root === null) throw new RepositoryCorruptError("snapshot manifest has no root");
        const parent = m.parentSnapshotArray();
        const shareSnapshot = m.shareSnapshot();
        const tags: string[] = [];
        for (let i = 0; i < m.tagsLength(); i++) tags.push(m.tags(i));
        const unstableFiles: UnstableFile[] = [];
        for (let i = 0; i < m.unstableFilesLength(); i++) {
          const u = m.unstableFiles(i)!;
          unstableFiles.push({ path: u.path() ?? "", fileId: u.fileId().toString(), reason: u.reason() === FbReason.Changed ? "changed" : "disappeared" });
        }
        return {
          share: m.share() ?? "",
          ...(shareSnapshot === null ? {} : { shareSnapshot }),
          time: Number(m.time()),
          root: decodeDirectoryEntry(root),
          ...(parent === null ? {} : { parent: hashHex(parent, "parent snapshot") }),
          tags,
          stats: decodeStats(m.stats()),
          unstableFiles,
        };
      },
    };
  });
}
