/**
 * Streams a file's chunks into a FileSink: bytes are gathered into writes of at most the target's
 * largest write (4 MiB on Azure Files), aligned on multiples of it from the start of the file; within
 * one, 64 KiB blocks that are all zero are left out (the new file is already zero-filled, so zero
 * ranges stay sparse) and the other runs are written; up to `parallel` writes are in flight. Memory: `parallel` + 1 write buffers, plus what
 * the chunk source reads ahead.
 */
import type { FileSink } from "../ports/share-writer";

export interface WrittenContent {
  /** Bytes the file holds. */
  readonly size: number;
  /** Bytes actually sent (the rest were zeros left sparse). */
  readonly written: number;
}

/** Zero runs shorter than this are written: fewer, larger writes. */
const GRANULE = 64 * 1024;
const ZEROS = Buffer.alloc(GRANULE);

/** [start, end) of the runs of `buf` that are not made of whole zero granules. */
export function dataRuns(buf: Buffer): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let at = 0; at < buf.length; at += GRANULE) {
    const n = Math.min(GRANULE, buf.length - at);
    const zero = buf.subarray(at, at + n).equals(n === GRANULE ? ZEROS : ZEROS.subarray(0, n));
    if (!zero && start < 0) start = at;
    if (zero && start >= 0) {
      runs.push([start, at]);
      start = -1;
    }
  }
  if (start >= 0) runs.push([start, buf.length]);
  return runs;
}

/** `size` (the expected file size) only sizes the buffers: a small file never costs a 4 MiB one. */
export async function writeContent(source: AsyncIterable<Uint8Array>, sink: FileSink, maxWrite: number, parallel: number, size = maxWrite): Promise<WrittenContent> {
  if (!Number.isInteger(maxWrite) || maxWrite < 1) throw new Error(`the target's largest write must be a positive integer, got ${maxWrite}`);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const next = (at: number) => Buffer.allocUnsafe(Math.max(1, Math.min(maxWrite, size - at)));
  let buf = next(0);
  let used = 0;
  let offset = 0;
  let written = 0;

  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const piece = buf.subarray(0, used);
    const at = offset;
    offset += used;
    used = 0;
    buf = next(offset);
    for (const [start, end] of dataRuns(piece)) {
      written += end - start;
      while (inFlight.size >= parallel && failure === undefined) await Promise.race(inFlight);
      if (failure !== undefined) throw failure.error;
      const p: Promise<void> = sink
        .write(at + start, piece.subarray(start, end))
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };

  try {
    for await (const data of source) {
      let from = 0;
      while (from < data.length) {
        // A source longer than `size` still works: the buffer grows to maxWrite.
        if (used === buf.length && buf.length < maxWrite) buf = Buffer.concat([buf, Buffer.allocUnsafe(maxWrite - buf.length)]);
        const n = Math.min(buf.length - used, data.length - from);
        buf.set(data.subarray(from, from + n), used);
        used += n;
        from += n;
        if (used === maxWrite) await flush();
      }
    }
    await flush();
  } finally {
    while (inFlight.size > 0) await Promise.race(inFlight);
  }
  if (failure !== undefined) throw failure.error;
  return { size: offset, written };
}
