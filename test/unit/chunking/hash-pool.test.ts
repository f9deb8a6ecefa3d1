import { chunkId } from "../../../src/core/chunking/content-hash";
import { HashPool } from "../../../src/core/chunking/hash-pool";
import { pseudoRandomBytes } from "./random-bytes";

describe("HashPool", () => {
  it("hashes shared and ordinary buffers like chunkId", async () => {
    const pool = new HashPool(2);
    try {
      const data = pseudoRandomBytes(3 * 1024 * 1024, 3);
      const shared = new Uint8Array(new SharedArrayBuffer(data.length));
      shared.set(data);
      const ranges = [[0, 1000], [1000, 2_000_000], [2_001_000, data.length - 2_001_000], [5, 0]];
      const digests = await Promise.all(ranges.map(([o, n]) => pool.hash(shared.subarray(o, o + n))));
      ranges.forEach(([o, n], i) => expect(digests[i].equals(chunkId(data.subarray(o, o + n)))).toBe(true));
      expect((await pool.hash(data.subarray(10, 20))).equals(chunkId(data.subarray(10, 20)))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("refuses work after close and a size that is not a positive integer", async () => {
    const pool = new HashPool(1);
    await pool.close();
    await expect(pool.hash(Buffer.from("x"))).rejects.toThrow(/closed/);
    expect(() => new HashPool(0)).toThrow(/positive integer/);
  });
});
