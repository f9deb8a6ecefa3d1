/**
 * The Cosmos DB document of one node, kept small because a share has millions of them:
 *
 *   {"id":".w3","parentId":"s1:.w","n":"report.docx","v":"AQ-Ax6P0kQxwAAHe3q2-7wEjRWeJq83v"}
 *
 * - `id`: the node's FileId, compactly encoded (below). Unique within its partition, which is all a
 *   Cosmos id must be; the same FileId may only be filed under one parent at a time (applyChangeSet).
 * - `parentId`: `<shareId>:<parent FileId>` (same encoding), the partition key: the children of a
 *   directory are one logical partition, so listing them is a single-partition query, and two shares
 *   never share a partition.
 * - `n`: the name (JSON escapes what it must).
 * - `v`: base64url of a packed record: flags byte (bit 0 directory, bit 1 fingerprint present), size
 *   as an unsigned LEB128 varint, last-write time as 7 bytes (microseconds + 2^54, big-endian), the
 *   32-bit metadata hash, then the 8-byte fingerprint if present. None of it is queried, so packing it
 *   costs nothing and saves ~40 bytes of property names and digits per document.
 * - `t`: directories only, the repository tree id once a backup stored the directory.
 * - `l`: directories with `t` only, the digest of the listing that tree was sealed from (22 characters).
 *
 * FileId encoding: Azure FileIds are 64-bit numbers whose set bits sit at the top (the root is
 * 0xC000400000000000), local inode numbers are small. A FileId is written in radix 64 (digits,
 * letters, "-", "_": all legal in ids and partition keys), bit-reversed first with a "." prefix when
 * that is shorter: Azure's root becomes ".w1" instead of 11 characters. The encoding is injective
 * and decodes back exactly.
 * Guarantees: decode(encode(record)) equals the record; a malformed document is an IndexError naming it.
 */
import { IndexError, MAX_TIME_MICROS, type NodeRecord } from "../../core/ports/node-index";

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
const VALUE = new Map([...DIGITS].map((c, i) => [c, BigInt(i)]));
const MASK64 = (1n << 64n) - 1n;

/** The stored document (without Cosmos' own system properties). */
export interface NodeDocument {
  id: string;
  parentId: string;
  n: string;
  v: string;
  t?: string;
  l?: string;
}

function radix64(n: bigint): string {
  if (n === 0n) return "0";
  let out = "";
  while (n > 0n) {
    out = DIGITS[Number(n & 63n)] + out;
    n >>= 6n;
  }
  return out;
}

function reverse32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

function reverse64(n: bigint): bigint {
  const hi = Number(n >> 32n);
  const lo = Number(n & 0xffffffffn);
  return (BigInt(reverse32(lo)) << 32n) | BigInt(reverse32(hi));
}

/** Compact form of a decimal 64-bit FileId (see the module comment). */
export function encodeFileId(fileId: string): string {
  const n = BigInt(fileId) & MASK64;
  const plain = radix64(n);
  const reversed = radix64(reverse64(n));
  return reversed.length + 1 < plain.length ? `.${reversed}` : plain;
}

/** The decimal FileId of an encoded one. */
export function decodeFileId(encoded: string): string {
  const rev = encoded.startsWith(".");
  let n = 0n;
  for (const c of rev ? encoded.slice(1) : encoded) {
    const d = VALUE.get(c);
    if (d === undefined) throw new IndexError(`invalid encoded FileId ${JSON.stringify(encoded)}`);
    n = (n << 6n) | d;
  }
  return (rev ? reverse64(n) : n).toString();
}

/** The partition key value of the children of `parentFileId` in `shareId`. */
export function partitionOf(shareId: string, parentFileId: string): string {
  return `${shareId}:${encodeFileId(parentFileId)}`;
}

function pack(node: NodeRecord): Buffer {
  const bytes: number[] = [(node.kind === "dir" ? 1 : 0) | (node.fingerprint !== undefined ? 2 : 0)];
  let size = node.size;
  do {
    const low = size % 128;
    size = Math.floor(size / 128);
    bytes.push(size > 0 ? low | 128 : low);
  } while (size > 0);
  let t = BigInt(node.lastWriteTime) + BigInt(MAX_TIME_MICROS);
  const time: number[] = [];
  for (let i = 0; i < 7; i++, t >>= 8n) time.unshift(Number(t & 255n));
  bytes.push(...time, (node.metaHash >>> 24) & 255, (node.metaHash >>> 16) & 255, (node.metaHash >>> 8) & 255, node.metaHash & 255);
  const buf = Buffer.from(bytes);
  return node.fingerprint === undefined ? buf : Buffer.concat([buf, Buffer.from(node.fingerprint, "hex")]);
}

/** The document of a record under `shareId`. */
export function toDocument(shareId: string, node: NodeRecord): NodeDocument {
  const doc: NodeDocument = { id: encodeFileId(node.fileId), parentId: partitionOf(shareId, node.parentFileId), n: node.name, v: pack(node).toString("base64url") };
  if (node.treeId !== undefined) doc.t = node.treeId;
  if (node.listing !== undefined) doc.l = node.listing;
  return doc;
}

/** The record a document holds; throws an IndexError for anything malformed. */
export function fromDocument(doc: NodeDocument): NodeRecord {
  const bad = (why: string) => new IndexError(`malformed node document ${JSON.stringify(doc.id)} in ${JSON.stringify(doc.parentId)}: ${why}`);
  if (typeof doc.id !== "string" || typeof doc.parentId !== "string" || typeof doc.n !== "string" || typeof doc.v !== "string") throw bad("missing id, parentId, n or v");
  if ((doc.t !== undefined && typeof doc.t !== "string") || (doc.l !== undefined && typeof doc.l !== "string")) throw bad("t or l is not a string");
  const colon = doc.parentId.lastIndexOf(":");
  if (colon < 0) throw bad("parentId has no share id");
  const b = Buffer.from(doc.v, "base64url");
  const flags = b[0];
  let i = 1;
  let size = 0;
  for (let scale = 1; ; scale *= 128) {
    if (i >= b.length) throw bad("truncated size");
    const byte = b[i++];
    size += (byte & 127) * scale;
    if ((byte & 128) === 0) break;
  }
  const need = i + 11 + (flags & 2 ? 8 : 0);
  if (b.length !== need) throw bad(`packed record has ${b.length} bytes, expected ${need}`);
  let t = 0n;
  for (let k = 0; k < 7; k++) t = (t << 8n) | BigInt(b[i++]);
  const metaHash = b.readUInt32BE(i);
  i += 4;
  const node: NodeRecord = {
    fileId: decodeFileId(doc.id),
    parentFileId: decodeFileId(doc.parentId.slice(colon + 1)),
    name: doc.n,
    kind: flags & 1 ? "dir" : "file",
    size,
    lastWriteTime: Number(t - BigInt(MAX_TIME_MICROS)),
    metaHash,
    ...(flags & 2 ? { fingerprint: b.subarray(i, i + 8).toString("hex") } : {}),
    ...(doc.t !== undefined ? { treeId: doc.t } : {}),
    ...(doc.l !== undefined ? { listing: doc.l } : {}),
  };
  return node;
}
