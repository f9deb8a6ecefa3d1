import { createHash } from "node:crypto";
import { AVG_SIZE, cutPoints, findCut, MAX_SIZE, MIN_SIZE } from "../../../src/core/chunking/fastcdc";
import { chunkId, contentDigest, contentFingerprint } from "../../../src/core/chunking/content-hash";
import { pseudoRandomBytes } from "./random-bytes";

const MiB = 1024 * 1024;

function chunkIds(data: Buffer): string[] {
  let start = 0;
  return cutPoints(data).map((end) => {
    const id = chunkId(data.subarray(start, end)).toString("hex");
    start = end;
    return id;
  });
}

function sizes(data: Buffer): number[] {
  let start = 0;
  return cutPoints(data).map((end) => {
    const n = end - start;
    start = end;
    return n;
  });
}

describe("FastCDC with the repository configuration (512 KiB / 1 MiB / 8 MiB)", () => {
  const data = pseudoRandomBytes(48 * MiB, 42);

  it("cuts the empty file into no chunk and gives it the digest of nothing", () => {
    expect(cutPoints(Buffer.alloc(0))).toEqual([]);
    expect(contentDigest([]).toString("hex")).toBe(createHash("sha256").digest("hex"));
  });

  it("cuts a one-byte file into one chunk of one byte", () => {
    const one = Buffer.from([7]);
    expect(cutPoints(one)).toEqual([1]);
    expect(chunkId(one).toString("hex")).toBe(createHash("sha256").update(one).digest("hex"));
  });

  it("keeps a file of at most MIN_SIZE bytes in one chunk", () => {
    expect(cutPoints(data.subarray(0, MIN_SIZE))).toEqual([MIN_SIZE]);
    expect(cutPoints(data.subarray(0, MIN_SIZE + 1)).length).toBeGreaterThanOrEqual(1);
  });

  it("respects min and max on random data, and averages near 1 MiB", () => {
    const s = sizes(data);
    expect(s.reduce((a, b) => a + b, 0)).toBe(data.length);
    for (const n of s.slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(MIN_SIZE);
      expect(n).toBeLessThanOrEqual(MAX_SIZE);
    }
    const mean = data.length / s.length;
    expect(mean).toBeGreaterThan(0.75 * AVG_SIZE);
    expect(mean).toBeLessThan(1.6 * AVG_SIZE);
  });

  it("forces a cut at MAX_SIZE when the data never matches (constant bytes)", () => {
    const zeros = Buffer.alloc(20 * MiB);
    const s = sizes(zeros);
    for (const n of s) expect(n).toBeLessThanOrEqual(MAX_SIZE);
    for (const n of s.slice(0, -1)) expect(n).toBeGreaterThanOrEqual(MIN_SIZE);
    expect(findCut(zeros, 0, zeros.length)).toBeLessThanOrEqual(MAX_SIZE);
  });

  it("keeps most chunk ids when bytes are inserted near the start", () => {
    const before = chunkIds(data);
    const edited = Buffer.concat([data.subarray(0, 1000), Buffer.from("inserted bytes that shift everything"), data.subarray(1000)]);
    const after = new Set(chunkIds(edited));
    const kept = before.filter((id) => after.has(id)).length;
    expect(before.length).toBeGreaterThan(20);
    expect(kept).toBeGreaterThanOrEqual(before.length - 2);
  });

  it("keeps most chunk ids when bytes are removed near the start", () => {
    const before = chunkIds(data);
    const edited = Buffer.concat([data.subarray(0, 5000), data.subarray(5100)]);
    const after = new Set(chunkIds(edited));
    const kept = before.filter((id) => after.has(id)).length;
    expect(kept).toBeGreaterThanOrEqual(before.length - 2);
  });

  it("changes the digest when two chunks swap places (order matters, unlike an XOR of block hashes)", () => {
    const a = chunkId(Buffer.from("a"));
    const b = chunkId(Buffer.from("b"));
    expect(contentDigest([a, b]).equals(contentDigest([b, a]))).toBe(false);
    expect(contentDigest([a, a]).equals(contentDigest([]))).toBe(false);
  });

  it("derives the 8-byte fingerprint from the digest's prefix", () => {
    const digest = contentDigest([chunkId(Buffer.from("x"))]);
    expect(contentFingerprint(digest)).toBe(digest.subarray(0, 8).toString("hex"));
    expect(() => contentFingerprint(Buffer.alloc(8))).toThrow(/32 bytes/);
  });
});
