/**
 * Streams a file's chunks into a FileSink: bytes are gathered into writes of at most the target's
 * largest write (4 MiB on Azure Files), aligned on multiples of it from the start of the file; within
 * one, 64 KiB blocks that are all zero are left out (the new file is already zero-filled, so zero
 * ranges stay sparse) and the other runs are written; up to `parallel` writes are in flight.
 * Gathering copies nothing: a write is a list of slices of the source's buffers, handed to the sink
 * as they are when it takes vectors (FileSink.writev, one pwritev on a local disk), when a run is one
 * slice, or else joined into one buffer (a target without vectors gets the same writes as before).
 * The source must therefore not reuse a buffer it has yielded. Memory: `parallel` + 1 writes' worth
 * of the source's buffers, plus what the source reads ahead.
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

/** Bytes [start, end) of `parts` taken as one sequence, as slices (no copy). */
export function sliceParts(parts: readonly Buffer[], start: number, end: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const p of parts) {
    const from = Math.max(start, at);
    const to = Math.min(end, at + p.length);
    if (from < to) out.push(p.subarray(from - at, to - at));
    at += p.length;
    if (at >= end) break;
  }
  return out;
}

const allZero = (slices: readonly Buffer[]): boolean => slices.every((s) => s.equals(ZEROS.subarray(0, s.length)));

/** [start, end) of the runs of `parts` (one sequence of `length` bytes) that are not whole zero granules. */
export function dataRunsOf(parts: readonly Buffer[], length: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let at = 0; at < length; at += GRANULE) {
    const end = Math.min(length, at + GRANULE);
    const zero = allZero(parts.length === 1 ? [parts[0].subarray(at, end)] : sliceParts(parts, at, end));
    if (!zero && start < 0) start = at;
    if (zero && start >= 0) {
      runs.push([start, at]);
      start = -1;
    }
  }
  if (start >= 0) runs.push([start, length]);
  return runs;
}

/** [start, end) of the runs of `buf` that are not made of whole zero granules. */
export function dataRuns(buf: Buffer): [number, number][] {
  return dataRunsOf([buf], buf.length);
}

function send(sink: FileSink, offset: number, slices: Buffer[]): Promise<void> {
  if (slices.length === 1) return sink.write(offset, slices[0]);
  if (sink.writev !== undefined) return sink.writev(offset, slices);
  return sink.write(offset, Buffer.concat(slices));
}

/** Writes `source` from offset 0; returns how many bytes it held and how many were sent. */
export async function writeContent(source: AsyncIterable<Uint8Array>, sink: FileSink, maxWrite: number, parallel: number): Promise<WrittenContent> {
  if (!Number.isInteger(maxWrite) || maxWrite < 1) throw new Error(`the target's largest write must be a positive integer, got ${maxWrite}`);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let parts: Buffer[] = [];
  let used = 0;
  let offset = 0;
  let written = 0;

  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const piece = parts;
    const length = used;
    const at = offset;
    offset += used;
    used = 0;
    parts = [];
    for (const [start, end] of dataRunsOf(piece, length)) {
      written += end - start;
      while (inFlight.size >= parallel && failure === undefined) await Promise.race(inFlight);
      if (failure !== undefined) throw failure.error;
      const p: Promise<void> = send(sink, at + start, sliceParts(piece, start, end))
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };

  try {
    for await (const raw of source) {
      const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      let from = 0;
      while (from < data.length) {
        const n = Math.min(maxWrite - used, data.length - from);
        parts.push(n === data.length ? data : data.subarray(from, from + n));
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
