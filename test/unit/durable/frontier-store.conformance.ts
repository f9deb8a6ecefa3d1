/**
 * The FrontierStore conformance suite: every adapter (in-memory, Table Storage) must pass it, so the
 * in-memory one can stand in for the real one in driver tests and benchmarks.
 */
import type { FrontierStore } from "../../../src/core/ports/frontier-store";

let scanCounter = 0;
const freshScan = (): string => `scan-${process.pid}-${++scanCounter}`;
const ids = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => String(13835128424026341376n + BigInt(from + i)));

export function frontierStoreConformance(label: string, store: () => FrontierStore): void {
  describe(`FrontierStore conformance: ${label}`, () => {
    test("pushed ids are claimed first in, first out, in batches of at most max", async () => {
      const s = store();
      const scan = freshScan();
      expect(await s.push(scan, "p1", ids(0, 5))).toBe(5);
      expect(await s.push(scan, "p2", ids(5, 3))).toBe(3);
      expect(await s.pending(scan)).toBe(8);
      expect(await s.claim(scan, "c1", 4)).toEqual(ids(0, 4));
      expect(await s.claim(scan, "c2", 10)).toEqual(ids(4, 4));
      expect(await s.claim(scan, "c3", 10)).toEqual([]);
      expect(await s.pending(scan)).toBe(0);
    });

    test("a repeated push or claim key changes nothing and returns what the first did", async () => {
      const s = store();
      const scan = freshScan();
      expect(await s.push(scan, "p", ids(0, 3))).toBe(3);
      expect(await s.push(scan, "p", ids(0, 3))).toBe(0);
      expect(await s.push(scan, "p", ids(100, 2))).toBe(0);
      expect(await s.claim(scan, "c", 2)).toEqual(ids(0, 2));
      expect(await s.claim(scan, "c", 2)).toEqual(ids(0, 2));
      expect(await s.claim(scan, "c", 5)).toEqual(ids(0, 2));
      expect(await s.pending(scan)).toBe(1);
      expect(await s.push(scan, "empty", [])).toBe(0);
      expect(await s.push(scan, "empty", ids(7, 1))).toBe(0);
    });

    test("concurrent claims never overlap and together take everything; concurrent pushes of one key add once", async () => {
      const s = store();
      const scan = freshScan();
      const all = ids(0, 2500);
      await Promise.all([s.push(scan, "a", all.slice(0, 1200)), s.push(scan, "b", all.slice(1200)), s.push(scan, "a", all.slice(0, 1200))]);
      expect(await s.pending(scan)).toBe(2500);
      const batches = await Promise.all(Array.from({ length: 8 }, (_, i) => s.claim(scan, `w${i}`, 400)));
      const taken = batches.flat();
      expect(new Set(taken).size).toBe(taken.length);
      expect(taken.length).toBe(2500);
      expect(new Set(taken)).toEqual(new Set(all));
      expect(await s.pending(scan)).toBe(0);
    });

    test("scans are independent, and clear forgets one", async () => {
      const s = store();
      const a = freshScan();
      const b = freshScan();
      await s.push(a, "k", ids(0, 2));
      await s.push(b, "k", ids(10, 1));
      expect(await s.claim(b, "c", 5)).toEqual(ids(10, 1));
      await s.clear(a);
      expect(await s.pending(a)).toBe(0);
      expect(await s.push(a, "k", ids(20, 1))).toBe(1);
      expect(await s.claim(a, "c", 5)).toEqual(ids(20, 1));
      expect(await s.pending("never-used")).toBe(0);
    });

    test("bad arguments are refused with the reason", async () => {
      const s = store();
      await expect(s.push("", "k", [])).rejects.toThrow(/invalid scan id/);
      await expect(s.push("s", "a/b", [])).rejects.toThrow(/invalid frontier key/);
      await expect(s.claim("s", "k", 0)).rejects.toThrow(/positive integer max/);
    });
  });
}
