/**
 * The pack blob format. A pack is self-describing, so the chunk index can be rebuilt from packs alone:
 *
 *   chunk bytes, concatenated in the order they were added
 *   trailer  = PackIndex FlatBuffer (chunk id, offset, length per chunk, sorted by id; no pack id)
 *   footer   = u32 LE trailer length | SHA-256 of the trailer (32 bytes) | magic "AFBPACK1" (8 bytes)
 *
 * The pack id is the SHA-256 of the trailer (the checksum in the footer). The trailer lists the
 * SHA-256, offset and length of every chunk, so it determines every byte of the pack: the same
 * pack written twice is the same blob, and the data is not hashed a second time. Each chunk is
 * verified on read against its id; the footer checksum catches a damaged trailer.
 */
import { createHash } from "node:crypto";
import { decodePackIndex, encodePackIndex, type PackEntry } from "./codec-index";
import { RepositoryCorruptError } from "./errors";
import type { HexHash } from "./model";

export const PACK_MAGIC = Buffer.from("AFBPACK1", "ascii");
export const FOOTER_BYTES = 4 + 32 + PACK_MAGIC.length;

/** Packs are flushed before they would pass this size (a single larger chunk is never produced: MAX_SIZE is 8 MiB). */
export const PACK_TARGET_BYTES = 16 * 1024 * 1024;

export interface BuiltPack {
  readonly id: HexHash;
  readonly bytes: Buffer;
  readonly entries: readonly PackEntry[];
}

/** The trailer and footer that follow a body holding `entries`' chunks, and the pack id they give. */
function packTail(entries: readonly PackEntry[]): { id: HexHash; trailer: Buffer; footer: Buffer } {
  const trailer = encodePackIndex(entries);
  const checksum = createHash("sha256").update(trailer).digest();
  const footer = Buffer.alloc(FOOTER_BYTES);
  footer.writeUInt32LE(trailer.length, 0);
  checksum.copy(footer, 4);
  PACK_MAGIC.copy(footer, 36);
  return { id: checksum.toString("hex"), trailer, footer };
}

/** Assembles a pack from its chunks (in order, back to back from offset 0) and their entries. */
export function buildPack(chunks: readonly Buffer[], entries: readonly PackEntry[]): BuiltPack {
  const { id, trailer, footer } = packTail(entries);
  return { id, bytes: Buffer.concat([...chunks, trailer, footer]), entries };
}

/**
 * Completes a pack whose chunks already lie back to back in `body[0, bodyLength)`: the trailer and
 * footer are written after them in place when `body` has room (the chunk bytes are not copied, and
 * the pack's bytes are a view of `body`), into a new buffer otherwise. Same bytes as `buildPack`.
 */
export function finishPack(body: Buffer, bodyLength: number, entries: readonly PackEntry[]): BuiltPack {
  const { id, trailer, footer } = packTail(entries);
  const total = bodyLength + trailer.length + footer.length;
  const inPlace = total <= body.length;
  const bytes = inPlace ? body.subarray(0, total) : Buffer.allocUnsafe(total);
  if (!inPlace) body.copy(bytes, 0, 0, bodyLength);
  trailer.copy(bytes, bodyLength);
  footer.copy(bytes, bodyLength + trailer.length);
  return { id, bytes, entries };
}

/** Trailer length from the last FOOTER_BYTES of a pack of `packSize` bytes (checks the magic). */
export function parseFooter(footer: Buffer, packSize: number, pack: string): { trailerLength: number; checksum: Buffer } {
  if (footer.length !== FOOTER_BYTES || !footer.subarray(36).equals(PACK_MAGIC)) throw new RepositoryCorruptError(`pack ${pack} has no valid footer`);
  const trailerLength = footer.readUInt32LE(0);
  if (trailerLength + FOOTER_BYTES > packSize) throw new RepositoryCorruptError(`pack ${pack} trailer length ${trailerLength} exceeds the pack size ${packSize}`);
  return { trailerLength, checksum: Buffer.from(footer.subarray(4, 36)) };
}

/** Decodes a trailer after checking it against the footer's checksum; entries lie inside the body. */
export function parseTrailer(trailer: Buffer, checksum: Buffer, bodyLength: number, pack: string): PackEntry[] {
  if (!createHash("sha256").update(trailer).digest().equals(checksum)) throw new RepositoryCorruptError(`pack ${pack} trailer checksum mismatch`);
  const { entries } = decodePackIndex(trailer);
  for (const e of entries) {
    if (e.offset + e.length > bodyLength) throw new RepositoryCorruptError(`pack ${pack} entry ${e.id} lies outside the pack body`);
  }
  return entries;
}

/** Entries of a whole pack held in memory. */
export function parsePack(bytes: Buffer, pack: string): PackEntry[] {
  const { trailerLength, checksum } = parseFooter(bytes.subarray(bytes.length - FOOTER_BYTES), bytes.length, pack);
  const bodyLength = bytes.length - FOOTER_BYTES - trailerLength;
  return parseTrailer(bytes.subarray(bodyLength, bodyLength + trailerLength), checksum, bodyLength, pack);
}
