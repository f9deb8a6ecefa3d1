/**
 * The restore engine into a local directory (the real LocalRestoreTarget on a temp folder), from
 * snapshots built through the Repository API over the in-memory object store.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { LocalRestoreTarget } from "../../../src/adapters/local-fs/restore-target";
import { UnsafeTargetError } from "../../../src/core/ports/share-writer";
import { Repository } from "../../../src/core/repository/repository";
import { RepositoryCorruptError } from "../../../src/core/repository/errors";
import { RestoreConflictError, SelectionNotFoundError, UnsafePathError } from "../../../src/core/restore/errors";
import { repositoryContent } from "../../../src/core/restore/chunk-batch";
import { restoreSnapshot, type RestoreOptions } from "../../../src/core/restore/restorer";
import { HOSTILE_NAMES, TRAILING_DOT_NAMES, XML_UNSAFE_NAMES } from "../../../src/local/files-emulator/hostile-names";
import { blocks, dir, file, hostile, SnapshotBuilder, type Spec } from "./builder";
import { failingAfter, readTree, tempDir } from "./local-target";

const NOW = Date.UTC(2026, 10, 28, 5, 0, 0);
const MiB = 1024 * 1024;

let repo: Repository;
let builder: SnapshotBuilder;
let work: ReturnType<typeof tempDir>;
let n = 0;

beforeEach(async () => {
  repo = await Repository.open(new MemoryObjectStore());
  builder = new SnapshotBuilder(repo);
  work = tempDir("unit");
});
afterEach(() => work.remove());

/** A fresh (not yet existing) target folder inside the test's temp folder. */
const newTargetDir = () => join(work.path, `target-${++n}`);

async function restore(children: readonly Spec[], into: string, extra: Partial<RestoreOptions> = {}) {
  const { manifest } = await builder.snapshot(children);
  const target = await LocalRestoreTarget.open(into);
  return restoreSnapshot({ content: repositoryContent(repo), root: manifest.root, target, now: () => NOW, ...extra });
}

const SMALL: Spec[] = [
  file("a.txt", "alpha"),
  file("b.txt", "bravo"),
  dir("docs", [file("one.md", "one"), file("two.md", "two"), dir("deep", [file("three.md", "three")])]),
  dir("empty", []),
];

describe("restore to a local directory", () => {
  it("restores a nasty corpus byte for byte, with mtimes, sparse zero ranges and read-only modes", async () => {
    const names = [...HOSTILE_NAMES, ...TRAILING_DOT_NAMES, ...XML_UNSAFE_NAMES];
    let deep: Spec = file("bottom.txt", "deep down");
    for (let i = 29; i >= 0; i--) deep = dir(`level-${i}`, [deep]);
    const sparse = blocks(24 * MiB, (b) => b === 0 || b === 23);
    const corpus: Spec[] = [
      dir("hostile", names.map((name, i) => (i % 2 === 0 ? file(name, `content of ${name}`) : dir(name, [file(name, name)])))),
      file("empty-file", ""),
      dir("empty-dir", [], { written: 1_600_000_000_000_001 }),
      deep,
      file("sparse.bin", sparse),
      file("read-only.txt", "do not touch", { attributes: 0x21, written: 1_500_000_000_654_321 }),
    ];
    const into = newTargetDir();
    const result = await restore(corpus, into);
    expect(result.files).toBe(names.length + 4);
    expect(result.bytesWritten).toBeLessThan(result.bytes - 21 * MiB);

    const tree = readTree(into);
    for (const [i, name] of names.entries()) {
      if (i % 2 === 0) expect(tree.get(`hostile/${name}`)?.toString()).toBe(`content of ${name}`);
      else expect(tree.get(`hostile/${name}/${name}`)?.toString()).toBe(name);
    }
    expect(tree.get("empty-file")).toEqual(Buffer.alloc(0));
    expect(tree.get("empty-dir/")).toBe("dir");
    expect(tree.get(`${Array.from({ length: 30 }, (_, i) => `level-${i}`).join("/")}/bottom.txt`)?.toString()).toBe("deep down");
    const expected: Buffer[] = [];
    for await (const b of sparse()) expected.push(b);
    expect((tree.get("sparse.bin") as Buffer).equals(Buffer.concat(expected))).toBe(true);
    expect(statSync(join(into, "sparse.bin")).blocks * 512).toBeLessThan(4 * MiB);
    const ro = statSync(join(into, "read-only.txt"), { bigint: true });
    expect(Number(ro.mode & 0o777n)).toBe(0o444);
    expect(Number(ro.mtimeNs / 1000n)).toBeCloseTo(1_500_000_000_654_321, -1);
    expect(Number(statSync(join(into, "empty-dir"), { bigint: true }).mtimeNs / 1000n)).toBeCloseTo(1_600_000_000_000_001, -1);
    expect(readdirSync(into).filter((x) => x.startsWith(".afb-restore-"))).toEqual([]);
  });

  it("restores the permission bits a backup of a local directory kept, without setuid", async () => {
    const into = newTargetDir();
    await restore([file("private", "p", { metadata: { posix: "100600:1000:1000" } }), file("tool", "t", { metadata: { posix: "104755:0:0" } })], into);
    expect(statSync(join(into, "private")).mode & 0o7777).toBe(0o600);
    expect(statSync(join(into, "tool")).mode & 0o7777).toBe(0o755);
  });

  it("restores single files and a folder, keeping their paths from the share root", async () => {
    const into = newTargetDir();
    const result = await restore(SMALL, into, { paths: ["b.txt", "/docs/deep/", "docs/one.md"] });
    expect(result.files).toBe(3);
    expect([...readTree(into).keys()]).toEqual(["b.txt", "docs/", "docs/deep/", "docs/deep/three.md", "docs/one.md"]);
  });

  it("says which selected path is not in the snapshot, before writing", async () => {
    const into = newTargetDir();
    await expect(restore(SMALL, into, { paths: ["docs/one.md", "docs/nope.md"] })).rejects.toThrow(SelectionNotFoundError);
    await expect(restore(SMALL, into, { paths: ["a.txt/inside"] })).rejects.toThrow(/"a.txt\/inside" is not in the snapshot/);
    expect(readdirSync(into)).toEqual([]);
  });
});

describe("conflict policies", () => {
  function seeded(): string {
    const into = newTargetDir();
    mkdirSync(join(into, "docs"), { recursive: true });
    writeFileSync(join(into, "a.txt"), "alpha");
    writeFileSync(join(into, "docs/one.md"), "mine, not the snapshot's");
    return into;
  }

  it("fail (the default) names every existing path and writes nothing", async () => {
    const into = seeded();
    const before = readTree(into);
    const err = await restore(SMALL, into).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreConflictError);
    expect((err as RestoreConflictError).paths).toEqual(["a.txt", "docs/one.md"]);
    expect(readTree(into)).toEqual(before);
  });

  it("skip keeps existing files, counting identical ones as restored", async () => {
    const into = seeded();
    const result = await restore(SMALL, into, { conflict: "skip" });
    expect(result).toMatchObject({ files: 3, verified: 1, skipped: ["docs/one.md"] });
    expect(readFileSync(join(into, "docs/one.md"), "utf8")).toBe("mine, not the snapshot's");
    expect(readFileSync(join(into, "b.txt"), "utf8")).toBe("bravo");
  });

  it("overwrite replaces existing files", async () => {
    const into = seeded();
    const result = await restore(SMALL, into, { conflict: "overwrite" });
    expect(result).toMatchObject({ files: 5, overwritten: 2 });
    expect(readFileSync(join(into, "docs/one.md"), "utf8")).toBe("one");
  });

  it("rename restores beside existing files under a dated name", async () => {
    const into = seeded();
    const result = await restore(SMALL, into, { conflict: "rename" });
    expect(result.renamed).toEqual([
      { path: "a.txt", as: "a (restored 2026-11-28T05-00-00Z).txt" },
      { path: "docs/one.md", as: "docs/one (restored 2026-11-28T05-00-00Z).md" },
    ]);
    expect(readFileSync(join(into, "docs/one.md"), "utf8")).toBe("mine, not the snapshot's");
    expect(readFileSync(join(into, "docs/one (restored 2026-11-28T05-00-00Z).md"), "utf8")).toBe("one");
  });
});

describe("resumed restore", () => {
  it("a rerun with skip verifies what an interrupted run completed and writes only the rest", async () => {
    const many: Spec[] = [dir("batch", Array.from({ length: 40 }, (_, i) => file(`f${String(i).padStart(2, "0")}.bin`, Buffer.alloc(1000 + i, i))))];
    const { manifest } = await builder.snapshot(many);
    const into = newTargetDir();
    const flaky = failingAfter(await LocalRestoreTarget.open(into), 15);
    await expect(restoreSnapshot({ content: repositoryContent(repo), root: manifest.root, target: flaky, now: () => NOW, fileConcurrency: 3 })).rejects.toThrow(/injected failure/);
    expect(flaky.completed.length).toBeGreaterThanOrEqual(15);
    const inodes = new Map(flaky.completed.map((p) => [p, lstatSync(join(into, p)).ino]));
    const onDisk = readdirSync(join(into, "batch")).filter((x) => !x.startsWith(".afb-restore-"));
    expect(onDisk.length).toBe(flaky.completed.length);

    const again = await restoreSnapshot({ content: repositoryContent(repo), root: manifest.root, target: await LocalRestoreTarget.open(into), now: () => NOW, conflict: "skip" });
    expect(again.verified).toBe(flaky.completed.length);
    expect(again.files).toBe(40 - flaky.completed.length);
    for (const [p, ino] of inodes) expect(lstatSync(join(into, p)).ino).toBe(ino);
    const tree = readTree(into);
    for (let i = 0; i < 40; i++) expect(tree.get(`batch/f${String(i).padStart(2, "0")}.bin`)).toEqual(Buffer.alloc(1000 + i, i));
    expect([...tree.keys()].filter((k) => k.includes(".afb-restore-"))).toEqual([]);
  });

  it("skip rewrites nothing whose size matches but whose digest does not", async () => {
    const into = newTargetDir();
    mkdirSync(into);
    writeFileSync(join(into, "a.txt"), "ALPHA");
    const result = await restore([file("a.txt", "alpha")], into, { conflict: "skip" });
    expect(result).toMatchObject({ files: 0, verified: 0, skipped: ["a.txt"] });
  });
});

describe("safety", () => {
  it.each([["..", "would leave its directory"], [".", "would leave its directory"], ["a/b", "'/'"], ["/etc", "'/'"], ["nul\u0000", "NUL"]])(
    "refuses a tree entry named %j before writing anything",
    async (name, why) => {
      const { manifest } = await builder.snapshot([file("ok.txt", "fine"), dir("sub", [file("placeholder", "x")])]);
      const sub = manifest.root.tree;
      const real = await repo.getTree(sub);
      const evil = { ...real, files: [...real.files, { ...real.files[0], name }] };
      const into = newTargetDir();
      const sentinel = join(work.path, "outside-sentinel");
      const err = await restoreSnapshot({ content: hostile(repo, new Map([[sub, evil]])), root: manifest.root, target: await LocalRestoreTarget.open(into), now: () => NOW }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnsafePathError);
      expect((err as Error).message).toContain(why);
      expect(readdirSync(into)).toEqual([]);
      expect(readdirSync(work.path).sort()).toEqual([`target-${n}`]);
      expect(() => statSync(sentinel)).toThrow();
    },
  );

  it("refuses duplicate names in one directory", async () => {
    const { manifest } = await builder.snapshot([file("twice", "1"), dir("twice-dir", [])]);
    const real = await repo.getTree(manifest.root.tree);
    const evil = { ...real, directories: [{ ...real.directories[0], name: "twice" }] };
    const into = newTargetDir();
    const err = restoreSnapshot({ content: hostile(repo, new Map([[manifest.root.tree, evil]])), root: manifest.root, target: await LocalRestoreTarget.open(into), now: () => NOW });
    await expect(err).rejects.toThrow(/two entries with this name/);
    expect(readdirSync(into)).toEqual([]);
  });

  it("never follows a symbolic link already in the target", async () => {
    const outside = join(work.path, "outside");
    mkdirSync(outside);
    const into = newTargetDir();
    mkdirSync(into);
    symlinkSync(outside, join(into, "docs"));
    await expect(restore(SMALL, into, { conflict: "overwrite" })).rejects.toThrow(UnsafeTargetError);
    expect(readdirSync(outside)).toEqual([]);

    const into2 = newTargetDir();
    mkdirSync(into2);
    writeFileSync(join(outside, "victim"), "precious");
    symlinkSync(join(outside, "victim"), join(into2, "a.txt"));
    await expect(restore(SMALL, into2, { conflict: "overwrite" })).rejects.toThrow(/symbolic link/);
    await expect(restore(SMALL, into2)).rejects.toThrow(RestoreConflictError);
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("precious");
  });

  it("refuses a file whose chunk list does not add up to its digest", async () => {
    const { manifest } = await builder.snapshot([file("x.txt", "content")]);
    const real = await repo.getTree(manifest.root.tree);
    const evil = { ...real, files: [{ ...real.files[0], digest: "0".repeat(64) }] };
    const into = newTargetDir();
    const run = restoreSnapshot({ content: hostile(repo, new Map([[manifest.root.tree, evil]])), root: manifest.root, target: await LocalRestoreTarget.open(into), now: () => NOW });
    await expect(run).rejects.toThrow(RepositoryCorruptError);
    expect(readdirSync(into)).toEqual([]);
  });
});
