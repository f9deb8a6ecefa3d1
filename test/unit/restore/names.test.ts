/** Name rules, selection paths, restored-copy names and snapshot specs. */
import { HOSTILE_NAMES, TRAILING_DOT_NAMES, XML_UNSAFE_NAMES } from "../../../src/local/files-emulator/hostile-names";
import { childPath, nameProblem, parseSelectionPath } from "../../../src/core/restore/path-safety";
import { parseConflictPolicy, renamedName, restoreStamp } from "../../../src/core/restore/conflicts";
import { findSnapshot } from "../../../src/core/restore/snapshot-spec";
import { SnapshotSpecError } from "../../../src/core/restore/errors";
import type { SnapshotRef } from "../../../src/core/repository/layout";

describe("nameProblem", () => {
  it.each(["", ".", "..", "a/b", "/abs", "nul\u0000byte"])("refuses %j on every target", (name) => {
    expect(nameProblem(name, "posix")).toBeDefined();
    expect(nameProblem(name, "smb")).toBeDefined();
  });

  it("accepts every hostile name of the emulator's set on a POSIX target", () => {
    for (const name of [...HOSTILE_NAMES, ...TRAILING_DOT_NAMES, ...XML_UNSAFE_NAMES, "back\\slash", "CON", "colon:"]) expect(nameProblem(name, "posix")).toBeUndefined();
  });

  it("accepts the hostile names Azure Files holds and Windows opens on an SMB target", () => {
    for (const name of [...HOSTILE_NAMES, ...XML_UNSAFE_NAMES]) expect([name, nameProblem(name, "smb")]).toEqual([name, undefined]);
  });

  it.each([
    ["trailing-dot.", "ending in a dot"],
    ["trailing space ", "ending in a dot or a space"],
    ["CON", "device name"],
    ["con.txt", "device name"],
    ["Lpt9", "device name"],
    ["COM1 .log", "device name"],
    ["back\\slash", "\"\\\\\""],
    ["a:b", "\":\""],
    ["what?", "\"?\""],
    ["tab\there", "\"\\t\""],
    ["x".repeat(256), "longer than 255"],
  ])("refuses %j on an SMB target, saying why", (name, why) => {
    expect(nameProblem(name, "smb")).toContain(why);
  });

  it("accepts near-misses of device names", () => {
    for (const name of ["CONSOLE", "com10", "LPT0", "nul-file", "auxiliary.txt"]) expect(nameProblem(name, "smb")).toBeUndefined();
  });

  it("measures POSIX names in bytes", () => {
    expect(nameProblem("é".repeat(127), "posix")).toBeUndefined();
    expect(nameProblem("é".repeat(128), "posix")).toContain("255 bytes");
  });
});

describe("selection paths", () => {
  it("splits on slashes and ignores empty segments", () => {
    expect(parseSelectionPath("/docs//a.txt/")).toEqual(["docs", "a.txt"]);
    expect(parseSelectionPath("")).toEqual([]);
    expect(childPath("", "a")).toBe("a");
    expect(childPath("a/b", "c")).toBe("a/b/c");
  });

  it.each(["../etc", "a/./b", "a/..", "x\u0000"])("refuses %j", (raw) => {
    expect(() => parseSelectionPath(raw)).toThrow(/restore path/);
  });
});

describe("conflict policies", () => {
  it("parses the four policies and names them on bad input", () => {
    expect(parseConflictPolicy("SKIP")).toBe("skip");
    expect(() => parseConflictPolicy("merge")).toThrow(/fail, skip, overwrite, rename/);
  });

  it("names restored copies after the restore's start, keeping the extension", () => {
    const stamp = restoreStamp(Date.UTC(2026, 10, 28, 5, 0, 0, 456));
    expect(stamp).toBe("2026-11-28T05-00-00Z");
    expect(renamedName("report.final.pdf", stamp, new Set(), "smb")).toBe("report.final (restored 2026-11-28T05-00-00Z).pdf");
    expect(renamedName(".bashrc", stamp, new Set(), "posix")).toBe(".bashrc (restored 2026-11-28T05-00-00Z)");
    expect(renamedName("noext", stamp, new Set(), "posix")).toBe("noext (restored 2026-11-28T05-00-00Z)");
  });

  it("counts up past names already taken (case-insensitively on SMB)", () => {
    const stamp = "2026-11-28T05-00-00Z";
    const taken = new Set(["A (RESTORED 2026-11-28T05-00-00Z).TXT"]);
    expect(renamedName("a.txt", stamp, taken, "smb")).toBe("a (restored 2026-11-28T05-00-00Z 2).txt");
    expect(renamedName("a.txt", stamp, taken, "posix")).toBe("a (restored 2026-11-28T05-00-00Z).txt");
  });

  it("refuses a restored name the target cannot hold", () => {
    expect(() => renamedName("x".repeat(240), "2026-11-28T05-00-00Z", new Set(), "smb")).toThrow(/cannot name a restored copy/);
  });
});

describe("findSnapshot", () => {
  const id = (c: string) => c.repeat(64);
  const refs: SnapshotRef[] = [
    { share: "alpha", time: 1000, id: id("a"), key: "k1" },
    { share: "alpha", time: 3000, id: "ab" + id("0").slice(2), key: "k2" },
    { share: "beta", time: 2000, id: id("b"), key: "k3" },
  ];
  const repo = {
    async *listSnapshots(share?: string) {
      for (const r of refs) if (share === undefined || r.share === share) yield r;
    },
  };

  it("finds by full id and by unique prefix", async () => {
    expect((await findSnapshot(repo, id("b"))).key).toBe("k3");
    expect((await findSnapshot(repo, "BBBB")).key).toBe("k3");
    expect((await findSnapshot(repo, "aaaa")).key).toBe("k1");
  });

  it("names the candidates of an ambiguous prefix", async () => {
    await expect(findSnapshot(repo, "a")).rejects.toThrow(/4 to 64 hex digits/);
    const refsAb = { async *listSnapshots() { yield refs[0]; yield { ...refs[0], id: "aaaa" + id("1").slice(4), key: "k9" }; } };
    await expect(findSnapshot(refsAb, "aaaa")).rejects.toThrow(/2 snapshots have ids starting with aaaa/);
  });

  it("resolves latest per share and demands the share", async () => {
    expect((await findSnapshot(repo, "latest", "alpha")).key).toBe("k2");
    await expect(findSnapshot(repo, "latest")).rejects.toThrow(SnapshotSpecError);
    await expect(findSnapshot(repo, "latest", "gamma")).rejects.toThrow(/no snapshot of share gamma/);
    await expect(findSnapshot(repo, "cccc")).rejects.toThrow(/no snapshot in the repository/);
  });
});
