import { cutPoints, findCut, MAX_SIZE, MIN_SIZE, AVG_SIZE } from "../../../src/core/chunking/fastcdc";
import { referenceCutPoints } from "../../helpers/reference-fastcdc";
import { pseudoRandomBytes } from "./random-bytes";

const MiB = 1024 * 1024;

describe("the optimised FastCDC loop cuts exactly where the plain reference does", () => {
  const sizes = [0, 1, MIN_SIZE, MIN_SIZE + 1, AVG_SIZE - 1, AVG_SIZE + 3, MAX_SIZE + 1, 5 * MiB + 7, 33 * MiB + 1];

  it.each(sizes.map((size, i) => [size, 1000 + i]))("on %i random bytes (seed %i)", (size, seed) => {
    const data = pseudoRandomBytes(size, seed);
    expect(cutPoints(data)).toEqual(referenceCutPoints(data));
  });

  it("on data whose cuts fall at every offset within a 32-bit word", () => {
    const data = pseudoRandomBytes(48 * MiB, 77);
    const cuts = referenceCutPoints(data);
    expect(new Set(cuts.slice(0, -1).map((c) => c % 4)).size).toBe(4);
    expect(cutPoints(data)).toEqual(cuts);
  });

  it("on low-entropy data that reaches the large mask and the forced cut at MAX_SIZE", () => {
    const data = Buffer.alloc(20 * MiB + 5, 0x41);
    pseudoRandomBytes(3 * MiB, 5).copy(data, 9 * MiB);
    const cuts = referenceCutPoints(data);
    expect(cuts[0]).toBe(MAX_SIZE);
    expect(cutPoints(data)).toEqual(cuts);
  });

  it("from start offsets that are not aligned (a chunk may start anywhere in the work buffer)", () => {
    const data = pseudoRandomBytes(12 * MiB, 9);
    for (const skip of [1, 2, 3]) {
      const tail = data.subarray(skip);
      expect(cutPoints(tail)).toEqual(referenceCutPoints(tail));
    }
  });

  it("over a SharedArrayBuffer viewed from an unaligned offset (word loads index the backing store)", () => {
    const source = pseudoRandomBytes(9 * MiB, 21);
    const shared = new Uint8Array(new SharedArrayBuffer(source.length + 3)).subarray(3);
    shared.set(source);
    expect(cutPoints(shared)).toEqual(referenceCutPoints(source));
  });

  it("when calls alternate between buffers (the cached word view follows the buffer)", () => {
    const a = pseudoRandomBytes(6 * MiB, 31);
    const b = pseudoRandomBytes(6 * MiB, 32);
    const expectedA = referenceCutPoints(a);
    const expectedB = referenceCutPoints(b);
    const gotA: number[] = [];
    const gotB: number[] = [];
    for (let sa = 0, sb = 0; sa < a.length || sb < b.length; ) {
      if (sa < a.length) gotA.push((sa = findCut(a, sa, a.length)));
      if (sb < b.length) gotB.push((sb = findCut(b, sb, b.length)));
    }
    expect(gotA).toEqual(expectedA);
    expect(gotB).toEqual(expectedB);
  });
});
