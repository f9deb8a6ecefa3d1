/**
 * Streaming FastCDC: turns a byte stream (a Readable, or any AsyncIterable of buffers) into chunks
 * without ever holding more than 2 x MAX_SIZE (16 MiB) of it, whatever the file size.
 *
 * Guarantees: the chunks are exactly those `cutPoints` finds over the whole file at once, however the
 * input is split into pieces (a cut is only searched with MAX_SIZE bytes available, or at the end of
 * the input); each yielded chunk is a fresh Buffer that the caller may keep.
 */
import { findCut, MAX_SIZE } from "./fastcdc";

/** Yields the chunks of `source` in order; an empty source yields nothing. */
export async function* chunkStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const work = Buffer.allocUnsafe(2 * MAX_SIZE);
  let used = 0;
  for await (const piece of source) {
    if (!(piece instanceof Uint8Array)) throw new TypeError("chunkStream: the source must yield Buffers or Uint8Arrays");
    let offset = 0;
    while (offset < piece.length) {
      const n = Math.min(piece.length - offset, work.length - used);
      work.set(piece.subarray(offset, offset + n), used);
      used += n;
      offset += n;
      if (used === work.length) {
        let start = 0;
        while (used - start >= MAX_SIZE) {
          const end = findCut(work, start, used);
          yield Buffer.from(work.subarray(start, end));
          start = end;
        }
        work.copyWithin(0, start, used);
        used -= start;
      }
    }
  }
  let start = 0;
  while (start < used) {
    const end = findCut(work, start, used);
    yield Buffer.from(work.subarray(start, end));
    start = end;
  }
}
