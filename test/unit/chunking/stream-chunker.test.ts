import { Readable } from "node:stream";
import { cutPoints, MAX_SIZE } from "../../../src/core/chunking/fastcdc";
import { chunkStream, chunkViews } from "../../../src/core/chunking/stream-chunker";
import { pseudoRandomBytes } from "./random-bytes";

const MiB = 1024 * 1024;

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of chunkStream(source)) out.push(c);
  return out;
}

function* pieces(data: Buffer, sizes: readonly number[]): Generator<Buffer> {
  let offset = 0;
  let i = 0;
  while (offset < data.length) {
    const n = sizes[i++ % sizes.length];
    yield data.subarray(offset, offset + n);
    offset += n;
  }
}

describe("chunkStream", () => {
  const data = pseudoRandomBytes(40 * MiB, 7);
  const expected = cutPoints(data);

  it.each([
    ["one piece", [data.length]],
    ["64 KiB pieces (a Readable's highWaterMark)", [64 * 1024]],
    ["odd piece sizes that straddle the work buffer", [3 * MiB + 17, 1, 5 * MiB - 3, 777, 9 * MiB]],
  ])("cuts exactly as the whole-buffer cutter with %s", async (_name, sizes) => {
    const chunks = await collect(Readable.from(pieces(data, sizes as number[])));
    let end = 0;
    expect(chunks.map((c) => (end += c.length))).toEqual(expected);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it("yields nothing for an empty source and one chunk for one byte", async () => {
    expect(await collect(Readable.from([] as Buffer[]))).toEqual([]);
    const one = await collect(Readable.from([Buffer.from([1])]));
    expect(one.map((c) => [...c])).toEqual([[1]]);
  });

  it("yields chunks the caller may keep (not views of its work buffer)", async () => {
    const chunks = await collect(Readable.from(pieces(data, [MiB])));
    expect(chunks.every((c) => c.length <= MAX_SIZE)).toBe(true);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it("yields copies of a one-piece source: changing the piece later changes no chunk", async () => {
    const piece = Buffer.from(data.subarray(0, 5 * MiB + 3));
    const chunks = await collect(Readable.from([piece]));
    piece.fill(0);
    let end = 0;
    expect(chunks.map((c) => (end += c.length))).toEqual(cutPoints(data.subarray(0, 5 * MiB + 3)));
    expect(Buffer.concat(chunks).equals(data.subarray(0, 5 * MiB + 3))).toBe(true);
  });

  it("rejects a source that yields strings", async () => {
    await expect(collect(Readable.from(["text"], { objectMode: true }))).rejects.toThrow(/Buffers or Uint8Arrays/);
  });
});

describe("chunkViews", () => {
  const data = pseudoRandomBytes(20 * MiB + 12_345, 11);

  it("yields views of one work buffer, cut exactly as the whole-buffer cutter, however the input is split", async () => {
    for (const sizes of [[MiB], [3 * MiB + 17, 1, 5 * MiB - 3, 777]]) {
      const ends: number[] = [];
      const buffers = new Set<ArrayBufferLike>();
      let end = 0;
      let offset = 0;
      for await (const view of chunkViews(Readable.from(pieces(data, sizes)))) {
        expect(view.equals(data.subarray(offset, offset + view.length))).toBe(true);
        buffers.add(view.buffer);
        offset += view.length;
        ends.push((end += view.length));
      }
      expect(ends).toEqual(cutPoints(data));
      // Grown from 1 MiB to 16 MiB in powers of two: a handful of buffers, not one per chunk.
      expect(buffers.size).toBeLessThan(ends.length);
    }
  });

  it("releases its work buffer for the next file when the consumer stops early", async () => {
    const first = chunkViews(Readable.from(pieces(data, [MiB])));
    const view = (await first.next()).value as Buffer;
    await first.return(undefined);
    const again = chunkViews(Readable.from(pieces(data, [MiB])));
    const next = (await again.next()).value as Buffer;
    expect(next.buffer).toBe(view.buffer);
    await again.return(undefined);
  });
});

