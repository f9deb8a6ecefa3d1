/**
 * Blob names of the repository, all in one container (see ARCHITECTURE.md, "Backup repository"):
 *
 *   config                                  format version and chunker of the repository (JSON)
 *   packs/<pack id>                         chunk packs
 *   index/packs/<pack id>                   per-pack index (written only after its pack is durable)
 *   index/shards/<xx>/<run id>              compacted index runs of shard xx (first byte of chunk ids)
 *   trees/<tree id>                         one directory (DirectoryMetadata FlatBuffer)
 *   sddl/<sddl id>                          one security descriptor (UTF-8 SDDL)
 *   snapshots/<share>/<time>-<snapshot id>  one snapshot manifest (BackupManifest FlatBuffer)
 *   heads/<share>                           the key of the share's last written manifest (a hint)
 *
 * Every id is a SHA-256 that determines the object's bytes (a chunk's of its data; a pack's of its
 * trailer, which lists the SHA-256, offset and length of every chunk in it; the others' of their
 * bytes), so a name never points at two different contents. <time> is UTC "YYYYMMDDTHHMMSS.mmmZ": names of a
 * share sort by time.
 */
import { isHexHash } from "./codec-common";
import { checkShareKey } from "./codec-manifest";
import type { HexHash } from "./model";

export const CONFIG_KEY = "config";
export const PACKS_PREFIX = "packs/";
export const PACK_INDEX_PREFIX = "index/packs/";
export const SHARDS_PREFIX = "index/shards/";
export const TREES_PREFIX = "trees/";
export const SDDL_PREFIX = "sddl/";
export const SNAPSHOTS_PREFIX = "snapshots/";
export const HEADS_PREFIX = "heads/";

export const SHARD_COUNT = 256;

export const packKey = (id: HexHash): string => PACKS_PREFIX + id;
export const packIndexKey = (id: HexHash): string => PACK_INDEX_PREFIX + id;
export const treeKey = (id: HexHash): string => TREES_PREFIX + id;
export const sddlKey = (id: HexHash): string => SDDL_PREFIX + id;

/** Shard of a chunk id: its first byte. */
export const shardOf = (chunkId: HexHash): number => parseInt(chunkId.slice(0, 2), 16);
export const shardPrefix = (shard: number): string => `${SHARDS_PREFIX}${shard.toString(16).padStart(2, "0")}/`;

/** The id at the end of a key under `prefix`, or undefined when the key is not one of ours. */
export function idFromKey(key: string, prefix: string): HexHash | undefined {
  const id = key.slice(prefix.length);
  return key.startsWith(prefix) && isHexHash(id) ? id : undefined;
}

/** A snapshot as listed: enough to read it, sorted by share then time. */
export interface SnapshotRef {
  readonly share: string;
  readonly time: number;
  readonly id: HexHash;
  readonly key: string;
}

function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (!/^\d{4}-/.test(iso)) throw new Error(`snapshot time ${ms} is outside years 0000-9999`);
  return iso.replace(/[-:]/g, "");
}

const TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;

export const snapshotPrefix = (share: string): string => {
  checkShareKey(share);
  return `${SNAPSHOTS_PREFIX}${share}/`;
};

export function snapshotKey(share: string, time: number, id: HexHash): string {
  return `${snapshotPrefix(share)}${formatTime(time)}-${id}`;
}

/** The blob naming the share's last written manifest. */
export const headKey = (share: string): string => {
  checkShareKey(share);
  return `${HEADS_PREFIX}${share}`;
};

/** Parses a key written by snapshotKey; undefined for anything else. */
export function parseSnapshotKey(key: string): SnapshotRef | undefined {
  const parts = key.split("/");
  if (parts.length !== 3 || parts[0] !== SNAPSHOTS_PREFIX.slice(0, -1)) return undefined;
  const [stamp, id] = parts[2].split("-");
  const m = TIME.exec(stamp ?? "");
  if (m === null || !isHexHash(id)) return undefined;
  const time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]);
  return { share: parts[1], time, id, key };
}
