/**
 * Reads a pack's own description (its footer and trailer) with two range reads, without downloading
 * the chunks: what rebuilding the chunk index from the packs alone needs. Guarantees: the trailer is
 * checked against the footer's checksum and every entry lies inside the pack body.
 */
import type { PackEntry } from "./codec-index";
import { RepositoryCorruptError } from "./errors";
import { packKey } from "./layout";
import type { HexHash } from "./model";
import { readAll, type ObjectStore } from "./object-store";
import { FOOTER_BYTES, parseFooter, parseTrailer } from "./pack-format";

export interface PackInfo {
  readonly id: HexHash;
  readonly size: number;
}

export async function readPackEntries(store: ObjectStore, pack: PackInfo): Promise<PackEntry[]> {
  if (pack.size < FOOTER_BYTES) throw new RepositoryCorruptError(`pack ${pack.id} is only ${pack.size} bytes`);
  const key = packKey(pack.id);
  const footer = await readAll(store, key, { offset: pack.size - FOOTER_BYTES, length: FOOTER_BYTES });
  const { trailerLength, checksum } = parseFooter(footer, pack.size, pack.id);
  if (checksum.toString("hex") !== pack.id) throw new RepositoryCorruptError(`pack ${pack.id} has the trailer of pack ${checksum.toString("hex")}`);
  const bodyLength = pack.size - FOOTER_BYTES - trailerLength;
  const trailer = trailerLength === 0 ? Buffer.alloc(0) : await readAll(store, key, { offset: bodyLength, length: trailerLength });
  return parseTrailer(trailer, checksum, bodyLength, pack.id);
}
