/**
 * The compact chunk-location table answers exactly like a Map of locations: across growth and
 * rehashing, for overwrites, for ids that share their first bytes (same probe start), and it refuses
 * ids and numbers it cannot hold.
 */
import { createHash } from "node:crypto";
import { ChunkTable } from "../../../src/core/repository/chunk-table";

const idOf = (i: number) => createHash("sha256").update(String(i)).digest("hex");
const packOf = (i: number) => idOf(-1 - (i % 37));

test("every location set is found again, through many doublings, and nothing else is", () => {
  const table = new ChunkTable();
  const reference = new Map<string, { offset: number; length: number; pack: string }>();
  for (let i = 0; i < 50_000; i++) {
    const loc = { offset: i * 977, length: 1 + (i % 5000), pack: packOf(i) };
    table.set({ id: idOf(i), offset: loc.offset, length: loc.length }, loc.pack);
    reference.set(idOf(i), loc);
  }
  expect(table.size).toBe(50_000);
  for (const [id, loc] of reference) expect(table.get(id)).toEqual({ id, ...loc });
  for (let i = 50_000; i < 51_000; i++) expect(table.get(idOf(i))).toBeUndefined();
});

test("setting an id again replaces its location without adding an entry", () => {
  const table = new ChunkTable();
  table.set({ id: idOf(1), offset: 1, length: 2 }, packOf(1));
  table.set({ id: idOf(1), offset: 10, length: 20 }, packOf(2));
  expect(table.size).toBe(1);
  expect(table.get(idOf(1))).toEqual({ id: idOf(1), offset: 10, length: 20, pack: packOf(2) });
});

test("ids that start alike (one probe chain) stay apart", () => {
  const table = new ChunkTable();
  const ids = Array.from({ length: 40 }, (_, i) => "00000000" + idOf(i).slice(8));
  ids.forEach((id, i) => table.set({ id, offset: i, length: i + 1 }, packOf(i)));
  ids.forEach((id, i) => expect(table.get(id)).toEqual({ id, offset: i, length: i + 1, pack: packOf(i) }));
  expect(table.get("00000000" + idOf(99).slice(8))).toBeUndefined();
});

test("ids that are not 64 lowercase hex digits, and numbers past 2^32, are refused", () => {
  const table = new ChunkTable();
  expect(() => table.set({ id: idOf(1).toUpperCase(), offset: 0, length: 1 }, packOf(1))).toThrow(/not 64 lowercase hex digits/);
  expect(() => table.set({ id: idOf(1).slice(2), offset: 0, length: 1 }, packOf(1))).toThrow(/not 64 lowercase hex digits/);
  expect(() => table.set({ id: idOf(1), offset: 2 ** 32, length: 1 }, packOf(1))).toThrow(/not below 2\^32/);
  expect(() => table.set({ id: idOf(1), offset: 0, length: -1 }, packOf(1))).toThrow(/not below 2\^32/);
  expect(table.get("not an id")).toBeUndefined();
  expect(table.size).toBe(0);
});
