/**
 * Content identities: a chunk id is the SHA-256 of the chunk's bytes; a file's content digest is the
 * SHA-256 over its ordered chunk ids (so it depends on every byte and on the order of the chunks, and
 * is computed without reading the data twice); the node index keeps the digest's first 8 bytes as the
 * file's fingerprint. node:crypto uses the CPU's SHA extensions and does no I/O.
 * A reader that already hashed a block where it read it (a worker thread) vouches for that digest, so
 * the thread storing the block does not hash it again: `vouchChunkId` / `chunkIdOf`. The vouched
 * digest is tied to the buffer object (a WeakMap), never to a copy or a view of it.
 */
import { createHash } from "node:crypto";

export const HASH_BYTES = 32;
export const FINGERPRINT_BYTES = 8;

/** SHA-256 of one chunk. */
export function chunkId(data: Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

const vouched = new WeakMap<Uint8Array, Buffer>();

/**
 * Records that `digest` is the SHA-256 of `bytes` as they are now. The caller guarantees it (it hashed
 * these very bytes) and that nobody modifies `bytes` afterwards: a wrong digest would store the bytes
 * under another chunk's id.
 */
export function vouchChunkId(bytes: Uint8Array, digest: Uint8Array): void {
  if (digest.length !== HASH_BYTES) throw new Error(`chunk id must be ${HASH_BYTES} bytes, got ${digest.length}`);
  vouched.set(bytes, Buffer.from(digest.buffer, digest.byteOffset, HASH_BYTES));
}

/** SHA-256 of `data`: the digest vouched for this very buffer, or computed here. */
export function chunkIdOf(data: Uint8Array): Buffer {
  return vouched.get(data) ?? chunkId(data);
}

/** SHA-256 over the concatenation of the ordered chunk ids (the empty file: SHA-256 of nothing). */
export function contentDigest(chunkIds: readonly Uint8Array[]): Buffer {
  const h = createHash("sha256");
  for (const id of chunkIds) {
    if (id.length !== HASH_BYTES) throw new Error(`chunk id must be ${HASH_BYTES} bytes, got ${id.length}`);
    h.update(id);
  }
  return h.digest();
}

/** The node index's 8-byte fingerprint of a file: the first 8 bytes of its content digest, as 16 hex digits. */
export function contentFingerprint(digest: Uint8Array): string {
  if (digest.length !== HASH_BYTES) throw new Error(`content digest must be ${HASH_BYTES} bytes, got ${digest.length}`);
  return Buffer.from(digest.buffer, digest.byteOffset, FINGERPRINT_BYTES).toString("hex");
}
