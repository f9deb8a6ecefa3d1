/** Splitting a stream into target writes: size limits, sparse zero runs, bounded parallelism, failures. */
import type { FileSink } from "../../../src/core/ports/share-writer";
import { dataRuns, writeContent } from "../../../src/core/restore/write-content";

const KiB = 1024;

function recordingSink(opts: { failAt?: number } = {}) {
  const writes: { offset: number; length: number }[] = [];
  let active = 0;
  let maxActive = 0;
  const image = new Map<number, Buffer>();
  const sink: FileSink = {
    async write(offset, data) {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      if (opts.failAt === offset) throw new Error(`write at ${offset} failed`);
      writes.push({ offset, length: data.length });
      image.set(offset, Buffer.from(data));
    },
    complete: async () => undefined,
    discard: async () => undefined,
  };
  return { sink, writes, image, maxActive: () => maxActive };
}

async function* source(parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield p;
}

describe("dataRuns", () => {
  it("finds the runs that are not whole zero granules", () => {
    const b = Buffer.alloc(256 * KiB);
    b[10] = 1;
    b[200 * KiB] = 2;
    expect(dataRuns(b)).toEqual([[0, 64 * KiB], [192 * KiB, 256 * KiB]]);
    expect(dataRuns(Buffer.alloc(100))).toEqual([]);
    expect(dataRuns(Buffer.from([0, 0, 3]))).toEqual([[0, 3]]);
  });
});

describe("writeContent", () => {
  it("writes at most maxWrite bytes per write, aligned, leaving zero runs out", async () => {
    const data = Buffer.alloc(1000 * KiB);
    data.fill(7, 0, 300 * KiB);
    data.fill(9, 900 * KiB);
    const rec = recordingSink();
    const parts = [data.subarray(0, 123), data.subarray(123, 700 * KiB), data.subarray(700 * KiB)];
    const w = await writeContent(source(parts), rec.sink, 256 * KiB, 3);
    expect(w).toEqual({ size: 1000 * KiB, written: 320 * KiB + 104 * KiB });
    for (const x of rec.writes) expect(x.length).toBeLessThanOrEqual(256 * KiB);
    const rebuilt = Buffer.alloc(data.length);
    for (const [offset, b] of rec.image) b.copy(rebuilt, offset);
    expect(rebuilt.equals(data)).toBe(true);
    expect(rec.maxActive()).toBeLessThanOrEqual(3);
  });

  it("keeps at most `parallel` writes in flight", async () => {
    const rec = recordingSink();
    await writeContent(source([Buffer.alloc(64 * 64 * KiB, 1)]), rec.sink, 64 * KiB, 2);
    expect(rec.writes).toHaveLength(64);
    expect(rec.maxActive()).toBe(2);
  });

  it("reports the first failed write after the others settle", async () => {
    const rec = recordingSink({ failAt: 128 * KiB });
    await expect(writeContent(source([Buffer.alloc(1024 * KiB, 1)]), rec.sink, 64 * KiB, 4)).rejects.toThrow(/write at 131072 failed/);
  });

  it("hands a vectored sink the source's own buffers (no copy), in aligned writes of at most maxWrite", async () => {
    const data = Buffer.alloc(300 * KiB, 5);
    data.fill(0, 64 * KiB, 192 * KiB);
    const parts = [data.subarray(0, 10 * KiB), data.subarray(10 * KiB, 100 * KiB), data.subarray(100 * KiB)];
    const writes: { offset: number; parts: Buffer[] }[] = [];
    const sink: FileSink = {
      write: async (offset, d) => void writes.push({ offset, parts: [d] }),
      writev: async (offset, ps) => void writes.push({ offset, parts: [...ps] }),
      complete: async () => undefined,
      discard: async () => undefined,
    };
    const w = await writeContent(source(parts), sink, 128 * KiB, 2);
    expect(w).toEqual({ size: 300 * KiB, written: 300 * KiB - 128 * KiB });
    expect(writes.map((x) => [x.offset, x.parts.map((p) => p.length)])).toEqual([
      [0, [10 * KiB, 54 * KiB]],
      [192 * KiB, [64 * KiB]],
      [256 * KiB, [44 * KiB]],
    ]);
    for (const x of writes) for (const p of x.parts) expect(p.buffer).toBe(data.buffer);
  });

  it("joins the slices of a write for a sink without vectors", async () => {
    const rec = recordingSink();
    const data = Buffer.alloc(100 * KiB, 3);
    await writeContent(source([data.subarray(0, 1), data.subarray(1, 50 * KiB), data.subarray(50 * KiB)]), rec.sink, 64 * KiB, 2);
    expect(rec.writes).toEqual([{ offset: 0, length: 64 * KiB }, { offset: 64 * KiB, length: 36 * KiB }]);
    expect(Buffer.concat([...rec.image.values()]).equals(data)).toBe(true);
  });

  it("writes nothing for an empty or all-zero file", async () => {
    const rec = recordingSink();
    expect(await writeContent(source([]), rec.sink, 64 * KiB, 2)).toEqual({ size: 0, written: 0 });
    expect(await writeContent(source([Buffer.alloc(300 * KiB)]), rec.sink, 64 * KiB, 2)).toEqual({ size: 300 * KiB, written: 0 });
    expect(rec.writes).toEqual([]);
  });
});
