/**
 * The RecordSpool conformance suite: every adapter (in memory, in a temporary file) runs it. Records
 * come back exactly as appended (names with any character), in order, in batches of the size asked
 * for; a spool being read refuses appends; bad batch sizes are refused; dispose is idempotent.
 */
import type { NodeRecord } from "../../../src/core/ports/node-index";
import { RecordSpoolError, type RecordSpool } from "../../../src/core/ports/record-spool";

export function recordOf(i: number, name = `file-${i}.txt`): NodeRecord {
  return i % 3 === 0
    ? { fileId: String(10_000 + i), parentFileId: String(100 + (i % 7)), name, kind: "dir", size: 0, lastWriteTime: -1_000 * (i + 1), metaHash: (i * 2_654_435_761) >>> 0, treeId: `t${i}`.padEnd(64, "a") }
    : { fileId: String(10_000 + i), parentFileId: String(100 + (i % 7)), name, kind: "file", size: i * 1_000, lastWriteTime: 1_700_000_000_000_000 + i, metaHash: (i * 40_503) >>> 0, fingerprint: (i % 256).toString(16).padStart(16, "0") };
}

async function readAll(spool: RecordSpool, batchSize: number): Promise<NodeRecord[][]> {
  const out: NodeRecord[][] = [];
  for await (const batch of spool.read(batchSize)) out.push([...batch]);
  return out;
}

export function recordSpoolConformance(name: string, make: () => Promise<RecordSpool>): void {
  describe(`${name} (RecordSpool conformance)`, () => {
    test("an empty spool yields nothing", async () => {
      const spool = await make();
      expect(await readAll(spool, 10)).toEqual([]);
      await spool.dispose();
    });

    test("records come back equal and in order, in batches of the size asked for", async () => {
      const spool = await make();
      const all: NodeRecord[] = [];
      for (let i = 0; i < 25; i++) {
        const group = Array.from({ length: i % 4 }, (_, k) => recordOf(i * 10 + k));
        all.push(...group);
        await spool.append(group);
      }
      const batches = await readAll(spool, 7);
      expect(batches.flat()).toEqual(all);
      expect(batches.slice(0, -1).every((b) => b.length === 7)).toBe(true);
      expect(batches[batches.length - 1].length).toBe(all.length % 7 || 7);
      await spool.dispose();
      await spool.dispose();
    });

    test("names with line breaks, quotes, backslashes and any Unicode survive", async () => {
      const names = ["a\nb", "c\r\nd", 'say "hi"', "back\\slash", "tab\there", "\u2028\u2029", "日本語.txt", "emoji-😀", "nul-\u0000-x", " lead and trail "];
      const spool = await make();
      await spool.append(names.map((n, i) => recordOf(i + 1, n)));
      expect((await readAll(spool, 100)).flat().map((r) => r.name)).toEqual(names);
      await spool.dispose();
    });

    test("tens of thousands of records, appended from many places at once", async () => {
      const spool = await make();
      await Promise.all(Array.from({ length: 40 }, (_, g) => spool.append(Array.from({ length: 1_000 }, (_, k) => recordOf(g * 1_000 + k, `dir-${g}/${"x".repeat(k % 50)}`)))));
      const got = (await readAll(spool, 2_000)).flat();
      expect(got).toHaveLength(40_000);
      // Each append lands whole and in order; appends that raced may land in any order between them.
      const firstOfGroup = new Map<number, number>();
      got.forEach((r, i) => {
        const g = Math.floor((Number(r.fileId) - 10_000) / 1_000);
        if (!firstOfGroup.has(g)) firstOfGroup.set(g, i);
        expect(r).toEqual(recordOf(Number(r.fileId) - 10_000, r.name));
        expect(i - (firstOfGroup.get(g) as number)).toBe((Number(r.fileId) - 10_000) % 1_000);
      });
      await spool.dispose();
    });

    test("a spool being read refuses appends; a bad batch size is refused", async () => {
      const spool = await make();
      await spool.append([recordOf(1)]);
      await expect(readAll(spool, 0)).rejects.toThrow(RecordSpoolError);
      await expect(readAll(spool, 1.5)).rejects.toThrow(/batch size must be a positive integer, got 1.5/);
      expect((await readAll(spool, 1)).flat()).toEqual([recordOf(1)]);
      await expect(spool.append([recordOf(2)])).rejects.toThrow(RecordSpoolError);
      await spool.dispose();
    });
  });
}
