import { createHash } from "node:crypto";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { RepositoryCorruptError } from "../../../src/core/repository/errors";
import { buildPack, finishPack, FOOTER_BYTES, parsePack } from "../../../src/core/repository/pack-format";
import { readPackEntries } from "../../../src/core/repository/pack-reader";

function pack(): { chunks: Buffer[]; built: ReturnType<typeof buildPack> } {
  const chunks = [Buffer.from("first chunk"), Buffer.from("second, longer chunk"), Buffer.from("3")];
  let offset = 0;
  const entries = chunks.map((c) => {
    const e = { id: createHash("sha256").update(c).digest("hex"), offset, length: c.length };
    offset += c.length;
    return e;
  });
  return { chunks, built: buildPack(chunks, entries) };
}

describe("pack format", () => {
  it("finishPack completes a body in place (a view, no copy of the chunks) or in a new buffer, with buildPack's bytes", () => {
    const { chunks, built } = pack();
    const bodyLength = chunks.reduce((n, c) => n + c.length, 0);
    const roomy = Buffer.alloc(4096, 0xee);
    Buffer.concat(chunks).copy(roomy);
    const inPlace = finishPack(roomy, bodyLength, built.entries);
    expect(inPlace.id).toBe(built.id);
    expect(inPlace.bytes.equals(built.bytes)).toBe(true);
    expect(inPlace.bytes.buffer).toBe(roomy.buffer);
    expect(inPlace.bytes.byteOffset).toBe(roomy.byteOffset);
    const tight = Buffer.concat(chunks);
    const copied = finishPack(tight, bodyLength, built.entries);
    expect(copied.bytes.equals(built.bytes)).toBe(true);
    expect(tight.equals(Buffer.concat(chunks))).toBe(true);
  });

  it("is self-describing: the entries come back from the pack alone", async () => {
    const { chunks, built } = pack();
    const entries = parsePack(built.bytes, built.id);
    expect(entries).toHaveLength(3);
    for (const e of entries) {
      const data = built.bytes.subarray(e.offset, e.offset + e.length);
      expect(createHash("sha256").update(data).digest("hex")).toBe(e.id);
    }
    expect(built.bytes.subarray(-8).toString()).toBe("AFBPACK1");
    expect(built.bytes.length).toBe(chunks.reduce((n, c) => n + c.length, 0) + built.bytes.readUInt32LE(built.bytes.length - FOOTER_BYTES) + FOOTER_BYTES);
    const store = new MemoryObjectStore();
    await store.put(`packs/${built.id}`, built.bytes);
    expect(await readPackEntries(store, { id: built.id, size: built.bytes.length })).toEqual(entries);
  });

  it("gives the same pack the same id, so a retried upload writes the same blob", () => {
    expect(pack().built.id).toBe(pack().built.id);
    expect(pack().built.bytes.equals(pack().built.bytes)).toBe(true);
  });

  it("detects a damaged trailer, a missing footer and a pack stored under another id", async () => {
    const { built } = pack();
    const damaged = Buffer.from(built.bytes);
    damaged[damaged.length - FOOTER_BYTES - 3] ^= 1;
    expect(() => parsePack(damaged, built.id)).toThrow(/trailer checksum mismatch/);
    expect(() => parsePack(built.bytes.subarray(0, built.bytes.length - 1), built.id)).toThrow(RepositoryCorruptError);
    const store = new MemoryObjectStore();
    const other = "1".repeat(64);
    await store.put(`packs/${other}`, built.bytes);
    await expect(readPackEntries(store, { id: other, size: built.bytes.length })).rejects.toThrow(/has the trailer of pack/);
    await expect(readPackEntries(store, { id: other, size: 10 })).rejects.toThrow(/only 10 bytes/);
  });
});
