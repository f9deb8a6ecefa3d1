import { idleWorkBufferBytes, releaseWorkBuffer, takeWorkBuffer } from "../../../src/core/chunking/work-buffers";

const MiB = 1024 * 1024;

describe("work buffers", () => {
  it("hands a released buffer out again, and never one still taken", () => {
    const a = takeWorkBuffer(MiB);
    const b = takeWorkBuffer(MiB);
    expect(a.length).toBe(MiB);
    expect(b.buffer).not.toBe(a.buffer);
    releaseWorkBuffer(a);
    const c = takeWorkBuffer(MiB);
    expect(c.buffer).toBe(a.buffer);
    expect(takeWorkBuffer(MiB).buffer).not.toBe(c.buffer);
    releaseWorkBuffer(b);
    releaseWorkBuffer(c);
  });

  it("keeps at most 32 MiB of idle buffers", () => {
    const taken = [16, 16, 16, 8].map((n) => takeWorkBuffer(n * MiB));
    for (const buf of taken) releaseWorkBuffer(buf);
    expect(idleWorkBufferBytes()).toBeLessThanOrEqual(32 * MiB);
    expect(idleWorkBufferBytes()).toBeGreaterThanOrEqual(16 * MiB);
  });

  it("ignores buffers it does not size (views, odd sizes) and refuses sizes it does not hand out", () => {
    const before = idleWorkBufferBytes();
    releaseWorkBuffer(Buffer.alloc(100_000));
    releaseWorkBuffer(Buffer.alloc(2 * MiB).subarray(0, MiB));
    releaseWorkBuffer(Buffer.alloc(0));
    expect(idleWorkBufferBytes()).toBe(before);
    expect(() => takeWorkBuffer(100_000)).toThrow(/power of two from 65536 to 16777216, got 100000/);
    expect(() => takeWorkBuffer(32 * MiB)).toThrow(/power of two/);
  });
});
