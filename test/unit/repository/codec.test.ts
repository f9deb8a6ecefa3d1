import { Builder } from "flatbuffers";
import { decodeManifest, encodeManifest } from "../../../src/core/repository/codec-manifest";
import { decodeTree, encodeTree } from "../../../src/core/repository/codec-tree";
import { decodeIndexRun, decodePackIndex, encodeIndexShard, encodePackIndex, findInRun, runEntries } from "../../../src/core/repository/codec-index";
import { RepositoryCorruptError, UnsupportedFormatError } from "../../../src/core/repository/errors";
import { formatSmbAttributes, parseSmbAttributes } from "../../../src/core/repository/smb-attributes";
import { dirNode, fileNode, manifest, tree } from "./fixtures";

const H = (c: string): string => c.repeat(64);

describe("tree codec", () => {
  const file = fileNode("report.docx", {
    fileId: "18446744073709551615",
    size: 30,
    chunks: [{ id: H("a"), length: 10 }, { id: H("b"), length: 20 }],
    digest: H("c"),
    permission: H("d"),
    userMetadata: { owner: "finance", b: "2" },
    attributes: parseSmbAttributes("ReadOnly|Archive"),
  });
  const sub = dirNode("Projects", H("e"), { totalFiles: 12, totalDirectories: 3, totalSize: 4096, permission: H("f") });

  it("round-trips every field of files and directories", () => {
    const t = tree([file, fileNode("a.txt")], [sub]);
    const back = decodeTree(encodeTree(t));
    expect(back.fileId).toBe("1");
    expect(back.parentId).toBe("0");
    expect(back.files).toEqual([fileNode("a.txt"), file]);
    expect(back.directories).toEqual([sub]);
    expect(formatSmbAttributes(back.files[1].attributes)).toBe("ReadOnly|Archive");
  });

  it("encodes canonically: child and metadata order do not change the bytes", () => {
    const a = encodeTree(tree([file, fileNode("a.txt")], [sub]));
    const b = encodeTree(tree([fileNode("a.txt"), { ...file, userMetadata: { b: "2", owner: "finance" } }], [sub]));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(encodeTree(tree([fileNode("a.txt")], [sub])))).toBe(false);
  });

  it("rejects what it cannot store faithfully, naming the entry", () => {
    expect(() => encodeTree(tree([fileNode("x"), fileNode("x")]))).toThrow(/duplicate entry name "x"/);
    expect(() => encodeTree(tree([fileNode("")]))).toThrow(/invalid entry name ""/);
    expect(() => encodeTree(tree([fileNode("a/b")]))).toThrow(/invalid entry name/);
    expect(() => encodeTree(tree([fileNode("x", { size: 5 })]))).toThrow(/file "x": chunk lengths add up to 0, not to the size 5/);
    expect(() => encodeTree(tree([fileNode("x", { digest: "nothex" })]))).toThrow(/file "x" digest must be 64 lowercase hex digits/);
    expect(() => encodeTree(tree([fileNode("x", { fileId: "-1" })]))).toThrow(/fileId must be a decimal 64-bit FileId/);
    expect(() => encodeTree(tree([fileNode("x", { creationTime: 1.5 })]))).toThrow(/creationTime must be an integer/);
  });

  it("refuses bytes that do not parse and versions it does not know", () => {
    expect(() => decodeTree(Buffer.from("not a flatbuffer"))).toThrow(RepositoryCorruptError);
    const b = new Builder(16);
    b.startObject(1);
    b.addFieldInt16(0, 2, 1);
    b.finish(b.endObject());
    expect(() => decodeTree(b.asUint8Array())).toThrow(UnsupportedFormatError);
    expect(() => decodeTree(b.asUint8Array())).toThrow(/tree has format version 2; this version of afb reads up to 1/);
  });

  it("decodes from an unaligned view (a slice of a larger buffer)", () => {
    const bytes = encodeTree(tree([file]));
    const padded = Buffer.concat([Buffer.alloc(3), bytes]).subarray(3);
    expect(decodeTree(padded).files[0]).toEqual(file);
  });
});

describe("manifest codec", () => {
  it("round-trips a snapshot with parent, tags, stats and unstable files", () => {
    const m = manifest("finance.share-01", 1_750_000_000_123, H("1"), {
      shareSnapshot: "2026-01-01T00:00:00.0000000Z",
      parent: H("2"),
      tags: ["daily", "pre-migration"],
      stats: { files: 10, directories: 2, bytes: 1e12, filesNew: 1, filesChanged: 2, filesUnchanged: 7, filesRemoved: 3, bytesRead: 5, bytesAdded: 4, chunksAdded: 3, packsWritten: 2, treesWritten: 1 },
      unstableFiles: [{ path: "/a/b.txt", fileId: "9", reason: "changed" }, { path: "/c", fileId: "10", reason: "disappeared" }],
    });
    expect(decodeManifest(encodeManifest(m))).toEqual(m);
  });

  it("rejects a bad share key and a bad time", () => {
    expect(() => encodeManifest(manifest("Bad/Share", 1, H("1")))).toThrow(/share key must be/);
    expect(() => encodeManifest(manifest("ok", -5, H("1")))).toThrow(/snapshot time must be milliseconds/);
  });
});

describe("index codecs", () => {
  it("round-trips a pack index sorted by chunk id", () => {
    const entries = [{ id: H("b"), offset: 10, length: 5 }, { id: H("a"), offset: 0, length: 10 }];
    expect(decodePackIndex(encodePackIndex(entries, H("9")))).toEqual({ pack: H("9"), entries: [entries[1], entries[0]] });
    expect(decodePackIndex(encodePackIndex(entries)).pack).toBeUndefined();
  });

  it("round-trips a shard run, sharing pack ids between entries", () => {
    const entries = [
      { id: "ab" + H("1").slice(2), pack: H("7"), offset: 0, length: 3 },
      { id: "ab" + H("0").slice(2), pack: H("8"), offset: 3, length: 4 },
      { id: "ab" + H("2").slice(2), pack: H("7"), offset: 7, length: 5 },
    ];
    const run = decodeIndexRun(encodeIndexShard(0xab, entries));
    expect(run.shard).toBe(0xab);
    expect(run.packs).toEqual([H("7"), H("8")]);
    expect(runEntries(run)).toEqual([entries[1], entries[0], entries[2]]);
    for (const e of entries) expect(findInRun(run, Buffer.from(e.id, "hex"))).toEqual(e);
    expect(findInRun(run, Buffer.from("ab" + H("3").slice(2), "hex"))).toBeUndefined();
    expect(findInRun(run, Buffer.from(H("0"), "hex"))).toBeUndefined();
  });
});

describe("SMB attributes", () => {
  it("parses Azure's names case-insensitively and rejects unknown ones", () => {
    expect(parseSmbAttributes("readonly|Hidden|Archive")).toBe(0x23);
    expect(parseSmbAttributes("None")).toBe(0);
    expect(formatSmbAttributes(0)).toBe("None");
    expect(() => parseSmbAttributes("Archive|Sparkly")).toThrow(/unknown SMB attribute "Sparkly"/);
  });
});
