/**
 * Streaming FastCDC: turns a byte stream (a Readable, or any AsyncIterable of buffers) into chunks
 * without ever holding more than 2 x MAX_SIZE (16 MiB) of it, whatever the file size. The work buffer
 * grows with the input, so a small file costs a small buffer.
 *
 * Guarantees: the chunks are exactly those `cutPoints` finds over the whole file at once, however the
 * input is split into pieces (a cut is only searched with MAX_SIZE bytes available, or at the end of
 * the input); each yielded chunk is a fresh Buffer that the caller may keep.
 */
import { findCut, MAX_SIZE } from "./fastcdc";

const WORK_BYTES = 2 * MAX_SIZE;

/** A larger work buffer (at least `needed` bytes, at most WORK_BYTES) holding the first `used` bytes. */
function grow(work: Buffer, used: number, needed: number): Buffer {
  const size = Math.min(WORK_BYTES, Math.max(needed, 2 * work.length, 64 * 1024));
  const bigger = Buffer.allocUnsafe(size);
  work.copy(bigger, 0, 0, used);
  return bigger;
}

/** Yields the chunks of `source` in order; an empty source yields nothing. */
export async function* chunkStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let work: Buffer = Buffer.allocUnsafe(0);
  let used = 0;
  for await (const piece of source) {
    if (!(piece instanceof Uint8Array)) throw new TypeError("chunkStream: the source must yield Buffers or Uint8Arrays");
    let offset = 0;
    while (offset < piece.length) {
      if (used + (piece.length - offset) > work.length && work.length < WORK_BYTES) work = grow(work, used, used + piece.length - offset);
      const n = Math.min(piece.length - offset, work.length - used);
      work.set(piece.subarray(offset, offset + n), used);
      used += n;
      offset += n;
      if (used === WORK_BYTES) {
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
