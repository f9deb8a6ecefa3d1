/**
 * Streaming FastCDC: turns a byte stream (a Readable, or any AsyncIterable of buffers) into chunks
 * without ever holding more than 2 x MAX_SIZE (16 MiB) of it, whatever the file size. The work buffer
 * grows with the input, so a small file costs a small buffer.
 *
 * Guarantees: the chunks are exactly those `cutPoints` finds over the whole file at once, however the
 * input is split into pieces (a cut is only searched with MAX_SIZE bytes available, or at the end of
 * the input). `chunkStream` yields fresh Buffers that the caller may keep; `chunkViews` yields views of
 * its work buffer, each valid only until the generator is resumed (no copy per chunk).
 */
import { findCut, MAX_SIZE } from "./fastcdc";
import { releaseWorkBuffer, takeWorkBuffer } from "./work-buffers";

const WORK_BYTES = 2 * MAX_SIZE;
const MIN_WORK_BYTES = 64 * 1024;

/** A larger work buffer (at least `needed` bytes, at most WORK_BYTES) holding the first `used` bytes. */
function grow(work: Buffer, used: number, needed: number): Buffer {
  let size = MIN_WORK_BYTES;
  while (size < needed || size < 2 * work.length) size *= 2;
  const bigger = takeWorkBuffer(Math.min(WORK_BYTES, size));
  work.copy(bigger, 0, 0, used);
  releaseWorkBuffer(work);
  return bigger;
}

/**
 * Yields the chunks of `source` in order as views of the work buffer: a view must be used (or copied)
 * before the generator is resumed, which may overwrite it. An empty source yields nothing.
 */
export async function* chunkViews(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let work: Buffer = Buffer.alloc(0);
  let used = 0;
  try {
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
            yield work.subarray(start, end);
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
      yield work.subarray(start, end);
      start = end;
    }
  } finally {
    releaseWorkBuffer(work);
  }
}

/** Yields the chunks of `source` in order, each a fresh Buffer; an empty source yields nothing. */
export async function* chunkStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const view of chunkViews(source)) yield Buffer.from(view);
}
