/**
 * The NodeIndex conformance suite: every adapter (in-memory, Cosmos DB) runs these same cases.
 * Call `nodeIndexConformance(name, setup)` inside a test file; `setup` returns the index under test
 * (created once for the file) and a teardown.
 */
import { IndexError, type NodeIndex, type NodeRecord } from "../../../src/core/ports/node-index";

export interface ConformanceTarget {
  readonly index: NodeIndex;
  close(): Promise<void>;
}

const MAX_ID = (2n ** 64n - 1n).toString();
const AZURE_ROOT = "13835128424026341376";

let counter = 0;
/** A share id no other case uses. */
const freshShare = () => `conf-${process.pid}-${++counter}`;

export function record(fileId: string, parentFileId: string, name: string, extra: Partial<NodeRecord> = {}): NodeRecord {
  return { fileId, parentFileId, name, kind: "file", size: 10, lastWriteTime: 1_700_000_000_123_456, metaHash: 0xdeadbeef, ...extra };
}

async function all(it: AsyncIterable<NodeRecord>): Promise<NodeRecord[]> {
  const out: NodeRecord[] = [];
  for await (const r of it) out.push(r);
  return out.sort((a, b) => (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0));
}

export function nodeIndexConformance(name: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`NodeIndex conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let index: NodeIndex;
    beforeAll(async () => {
      target = await setup();
      index = target.index;
    });
    afterAll(async () => {
      await target?.close();
    });

    test("an unknown directory has no children and an unknown node is undefined", async () => {
      const share = freshShare();
      expect(await all(index.listChildren(share, "42"))).toEqual([]);
      expect(await index.get(share, { parentFileId: "42", fileId: "43" })).toBeUndefined();
      expect(await index.findByFileId(share, "43")).toEqual([]);
      expect(await index.hasShare?.(share)).toBe(false);
    });

    test("records round-trip exactly, with every optional field present or absent", async () => {
      const share = freshShare();
      const recs: NodeRecord[] = [
        record(AZURE_ROOT, "0", "", { kind: "dir", size: 0, treeId: "tree_ABC-123" }),
        record("11529285414812647424", AZURE_ROOT, "report.docx", { fingerprint: "0123456789abcdef" }),
        record(MAX_ID, AZURE_ROOT, "big", { size: 4 * 2 ** 40, lastWriteTime: 0, metaHash: 0 }),
        record("1", AZURE_ROOT, "old", { lastWriteTime: -11_644_473_600_000_000, metaHash: 0xffffffff }),
        record("7", AZURE_ROOT, "zero", { size: 0 }),
        record("12", AZURE_ROOT, "dir", { kind: "dir", size: 0 }),
        record("13", AZURE_ROOT, "listed", { kind: "dir", size: 0, treeId: "tree_DEF-456", listing: "AbCdEfGhIjKlMnOpQrSt_-" }),
      ];
      expect(await index.write(share, recs.map((node) => ({ op: "upsert", node })))).toEqual({ upserts: recs.length, deletes: 0 });
      expect(await all(index.listChildren(share, AZURE_ROOT))).toEqual(recs.slice(1).sort((a, b) => (a.fileId < b.fileId ? -1 : 1)));
      expect(await index.get(share, { parentFileId: "0", fileId: AZURE_ROOT })).toEqual(recs[0]);
      // Only the directories with a tree id, never a file or an untreed directory (both adapters have it).
      if (index.listSealedChildren === undefined) throw new Error(`${index.description} has no listSealedChildren`);
      expect(await all(index.listSealedChildren(share, AZURE_ROOT))).toEqual([recs[6]]);
      const fromIndex = await index.get(share, { parentFileId: AZURE_ROOT, fileId: "7" });
      expect(fromIndex).toEqual(recs[4]);
      expect(fromIndex && "fingerprint" in fromIndex ? fromIndex.fingerprint : undefined).toBeUndefined();
    });

    test("hostile names round-trip", async () => {
      const share = freshShare();
      const names = ['quote"d', "back\\slash", "new\nline", "tab\t", "emoji 😀 名前", "trailing. ", " lead", "#hash?q", "%41", "x".repeat(255), "\u0001ctl", "é (NFC)", "é (NFD)"];
      await index.write(share, names.map((n, i) => ({ op: "upsert", node: record(String(100 + i), "5", n) })));
      const back = await all(index.listChildren(share, "5"));
      expect(back.map((r) => r.name).sort()).toEqual([...names].sort());
    });

    test("an upsert replaces the record under the same parent (a rename is one write)", async () => {
      const share = freshShare();
      await index.write(share, [{ op: "upsert", node: record("9", "5", "a") }]);
      await index.write(share, [{ op: "upsert", node: record("9", "5", "b", { size: 99 }) }]);
      expect(await all(index.listChildren(share, "5"))).toEqual([record("9", "5", "b", { size: 99 })]);
    });

    test("delete removes one record; deleting a missing one succeeds", async () => {
      const share = freshShare();
      await index.write(share, [{ op: "upsert", node: record("9", "5", "a") }, { op: "upsert", node: record("10", "5", "b") }]);
      const r = await index.write(share, [
        { op: "delete", parentFileId: "5", fileId: "9" },
        { op: "delete", parentFileId: "5", fileId: "404" },
        { op: "delete", parentFileId: "6", fileId: "10" },
      ]);
      expect(r.deletes).toBe(3);
      expect(await all(index.listChildren(share, "5"))).toEqual([record("10", "5", "b")]);
    });

    test("shares never see each other's records, even under the same FileIds", async () => {
      const a = freshShare();
      const b = freshShare();
      await index.write(a, [{ op: "upsert", node: record("9", AZURE_ROOT, "in-a") }]);
      await index.write(b, [{ op: "upsert", node: record("9", AZURE_ROOT, "in-b") }]);
      expect((await all(index.listChildren(a, AZURE_ROOT))).map((r) => r.name)).toEqual(["in-a"]);
      expect((await index.findByFileId(b, "9")).map((r) => r.name)).toEqual(["in-b"]);
      expect(await index.hasShare?.(a)).toBe(true);
      await index.write(a, [{ op: "delete", parentFileId: AZURE_ROOT, fileId: "9" }]);
      expect(await index.hasShare?.(a)).toBe(false);
      expect(await index.hasShare?.(b)).toBe(true);
    });

    test("findByFileId looks across every parent of the share", async () => {
      const share = freshShare();
      await index.write(share, [{ op: "upsert", node: record("77", "5", "x") }, { op: "upsert", node: record("77", "6", "y") }, { op: "upsert", node: record("78", "5", "z") }]);
      expect((await index.findByFileId(share, "77")).map((r) => r.parentFileId).sort()).toEqual(["5", "6"]);
    });

    test("a large bulk is written whole and listed whole (paging)", async () => {
      const share = freshShare();
      const n = 1500;
      const recs = Array.from({ length: n }, (_, i) => record(String(1000 + i), "5", `f${i}`));
      expect(await index.write(share, recs.map((node) => ({ op: "upsert", node })))).toEqual({ upserts: n, deletes: 0 });
      expect((await all(index.listChildren(share, "5"))).length).toBe(n);
    });

    test("bad input is refused with an IndexError naming it", async () => {
      const share = freshShare();
      await expect(index.write(share, [{ op: "upsert", node: record("abc", "5", "x") }])).rejects.toThrow(/fileId/);
      await expect(index.write(share, [{ op: "upsert", node: record("9", "5", "x", { fingerprint: "XYZ" }) }])).rejects.toThrow(IndexError);
      await expect(index.write(share, [{ op: "upsert", node: record("9", "5", "x", { size: -1 }) }])).rejects.toThrow(/size/);
      await expect(index.write(share, [{ op: "upsert", node: record("9", "5", "x", { kind: "dir", size: 0, listing: "AbCdEfGhIjKlMnOpQrSt_-" }) }])).rejects.toThrow(/listing/);
      await expect(index.write("bad share", [])).rejects.toThrow(/share id/);
      expect(await all(index.listChildren(share, "5"))).toEqual([]);
    });
  });
}
