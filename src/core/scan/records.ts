/**
 * From a listed entry to the record the index keeps, and the comparisons change detection makes.
 * Guarantees: equal inputs give equal records (the metadata hash is a fixed function of attributes,
 * permission key, creation and change times); a directory's size is always 0 (its "size" means nothing
 * across backends). Two listings have the same `listingDigest` exactly when classifying one against
 * the records of the other finds no change (up to a SHA-256 collision).
 */
import { createHash } from "node:crypto";
import type { ShareEntry } from "../ports/share-reader";
import { MAX_TIME_MICROS, type NodeRecord } from "../ports/node-index";

/** Times outside what the index keeps (years 1399-2541) are pinned to its bounds. */
function clampTime(micros: number): number {
  return Math.max(-MAX_TIME_MICROS, Math.min(MAX_TIME_MICROS, Math.trunc(micros)));
}

/** FNV-1a, 32 bits: cheap and stable. Metadata-only changes are missed with probability 2^-32 per change. */
function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Hash of everything that is metadata but not content: a change here alone is a metadata-only change.
 * The ETag is in it because a change of REST user metadata moves nothing else a listing returns (not
 * even the change time); a content change moves the ETag too, but it is classified as modified first.
 */
export function metaHashOf(entry: Pick<ShareEntry, "attributes" | "permissionKey" | "creationTime" | "changeTime" | "etag">): number {
  return fnv1a32(`${entry.attributes}\u0000${entry.permissionKey}\u0000${entry.creationTime}\u0000${entry.changeTime}\u0000${entry.etag}`);
}

/** The record a listed entry becomes under `parentFileId`, with no fingerprint or tree id yet. */
export function recordOf(entry: ShareEntry, parentFileId: string): NodeRecord {
  return {
    fileId: entry.fileId,
    parentFileId,
    name: entry.name,
    kind: entry.kind,
    size: entry.kind === "dir" ? 0 : entry.size,
    lastWriteTime: clampTime(entry.lastWriteTime),
    metaHash: metaHashOf(entry),
  };
}

/** Content may differ: size or last-write time changed (files only; the backup then reads and compares the digest). */
export function contentChanged(prev: NodeRecord, next: NodeRecord): boolean {
  return next.kind === "file" && (prev.size !== next.size || prev.lastWriteTime !== next.lastWriteTime);
}

/** Metadata changed: for directories any time or attribute, for files anything but size and last-write time. */
export function metadataChanged(prev: NodeRecord, next: NodeRecord): boolean {
  if (prev.metaHash !== next.metaHash) return true;
  return next.kind === "dir" && prev.lastWriteTime !== next.lastWriteTime;
}

/** `path` joined with a child's name ("" is the root). */
export function childPath(path: string, name: string): string {
  return path === "" ? name : `${path}/${name}`;
}

/** Characters of a listing digest: 128 bits of SHA-256, base64url. */
export const LISTING_DIGEST = /^[A-Za-z0-9_-]{22}$/;

/**
 * Digest of one directory's listing over exactly the fields classification compares (FileId, name,
 * kind, size, last-write time, metadata hash), whatever order the listing came in: a directory whose
 * listing has the digest its index record carries has no changed child (see ScanState.skipDirectory).
 * Undefined for a listing that names one FileId twice (hard links): the index keeps one record per
 * FileId and parent, so no digest could stand for its records.
 */
export function listingDigest(entries: readonly ShareEntry[]): string | undefined {
  const lines: string[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const r = recordOf(entries[i], "0");
    lines[i] = `${r.fileId}/${r.kind}/${r.size}/${r.lastWriteTime}/${r.metaHash}/${JSON.stringify(r.name)}`;
  }
  // Lines start with the FileId: sorted, a repeated one sits next to itself.
  lines.sort();
  for (let i = 1; i < lines.length; i++) if (lines[i].slice(0, lines[i].indexOf("/")) === lines[i - 1].slice(0, lines[i - 1].indexOf("/"))) return undefined;
  return createHash("sha256").update(lines.join("\n"), "utf8").digest("base64url").slice(0, 22);
}
