/**
 * The Cosmos document codec: exact round trips, the compact FileId encoding, and the measured size
 * of a typical document (the figure ARCHITECTURE.md quotes).
 */
import { decodeFileId, encodeFileId, fromDocument, toDocument } from "../../../src/adapters/cosmos/node-document";
import type { NodeRecord } from "../../../src/core/ports/node-index";

const AZURE_ROOT = "13835128424026341376";
const file: NodeRecord = {
  fileId: "13835093239654252544",
  parentFileId: AZURE_ROOT,
  name: "report.docx",
  kind: "file",
  size: 123_456,
  lastWriteTime: 1_764_300_000_123_000,
  metaHash: 0xdeadbeef,
  fingerprint: "0123456789abcdef",
};

test.each(["0", "1", "42", "123456789", AZURE_ROOT, "11529285414812647424", "18446744073709551615", "9223372036854775808", "11529215046068469761"])("FileId %s survives encoding", (id) => {
  const enc = encodeFileId(id);
  expect(enc).toMatch(/^\.?[0-9A-Za-z_-]+$/);
  expect(decodeFileId(enc)).toBe(id);
});

test("Azure-style FileIds (bits at the top) encode in a few characters", () => {
  expect(encodeFileId(AZURE_ROOT).length).toBeLessThanOrEqual(4);
  expect(encodeFileId("13835093239654252544").length).toBeLessThanOrEqual(5);
});

test("distinct FileIds never share an encoding", () => {
  const seen = new Map<string, string>();
  for (let i = 0n; i < 3000n; i++) {
    for (const id of [i, (1n << 63n) | (i << 40n), 0xa000000000000000n + i]) {
      const enc = encodeFileId(id.toString());
      expect(seen.get(enc) ?? id.toString()).toBe(id.toString());
      seen.set(enc, id.toString());
    }
  }
});

test.each<[string, NodeRecord]>([
  ["file with fingerprint", file],
  ["file without fingerprint", { ...file, fingerprint: undefined } as NodeRecord],
  ["0-byte file", { ...file, size: 0 }],
  ["4 TiB file", { ...file, size: 4 * 2 ** 40 }],
  ["directory with tree id", { ...file, kind: "dir", size: 0, fingerprint: undefined, treeId: "t-abc_123" } as NodeRecord],
  ["directory with tree id and listing digest", { ...file, kind: "dir", size: 0, fingerprint: undefined, treeId: "t-abc_123", listing: "AbCdEfGhIjKlMnOpQrSt_-" } as NodeRecord],
  ["1601 times", { ...file, lastWriteTime: -11_644_473_600_000_000 }],
  ["hostile name", { ...file, name: 'a"b\\c\n😀' }],
])("%s round-trips", (_what, rec) => {
  const doc = toDocument("s1", rec);
  const back = fromDocument(JSON.parse(JSON.stringify(doc)));
  expect(back).toEqual(Object.fromEntries(Object.entries(rec).filter(([, v]) => v !== undefined)));
});

test("a typical file document is at most 100 bytes of JSON", () => {
  const doc = JSON.stringify(toDocument("Ab3dEf12", file));
  // {"id":".S03","parentId":"Ab3dEf12:.W03","n":"report.docx","v":"..."}: 8-char share id, 11-char name.
  expect(Buffer.byteLength(doc)).toBeLessThanOrEqual(100);
  const emulatorIds = JSON.stringify(toDocument("Ab3dEf12", { ...file, fileId: "11529215046068479761", parentFileId: "11529215046068469761" }));
  expect(Buffer.byteLength(emulatorIds)).toBeLessThanOrEqual(110);
});

test("a malformed document is refused with its id", () => {
  expect(() => fromDocument({ id: ".W03", parentId: "s1:.W03", n: "x", v: "AQ" })).toThrow(/malformed node document ".W03"/);
  expect(() => fromDocument({ id: "!", parentId: "s1:0", n: "x", v: toDocument("s1", file).v })).toThrow(/invalid encoded FileId/);
  expect(() => fromDocument({ ...toDocument("s1", file), l: 7 } as never)).toThrow(/t or l is not a string/);
});
