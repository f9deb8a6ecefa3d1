/**
 * How the restore reads trees: the walk reads subdirectory trees ahead (events unchanged, reads
 * overlapped and bounded), the second walk reuses the preflight's trees within a budget, and the
 * chunk index is warmed up once, at the first file, before any chunk read.
 */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { LocalRestoreTarget } from "../../../src/adapters/local-fs/restore-target";
import { Repository } from "../../../src/core/repository/repository";
import type { HexHash } from "../../../src/core/repository/model";
import { repositoryContent } from "../../../src/core/restore/chunk-batch";
import { restoreSnapshot } from "../../../src/core/restore/restorer";
import { TreeMemo } from "../../../src/core/restore/tree-memo";
import { buildSelection, READ_AHEAD, walkSelection, type SnapshotContent } from "../../../src/core/restore/walk";
import { dir, file, SnapshotBuilder, type Spec } from "./builder";
import { readTree, tempDir } from "./local-target";

const NOW = Date.UTC(2026, 10, 28, 5, 0, 0);

/** 3 top folders of 12 subfolders of 2 files each, and 2 files at the root. */
const WIDE: Spec[] = [
  file("r1.txt", "root one"),
  file("r2.txt", "root two"),
  ...Array.from({ length: 3 }, (_, i) =>
    dir(`top-${i}`, Array.from({ length: 12 }, (_, j) => dir(`sub-${j}`, [file("x.txt", `x ${i} ${j}`), file("y.txt", `y ${i} ${j}`)]))),
  ),
];

/** The repository's content, counting tree reads, each answered after a few milliseconds. */
function slowTrees(repo: Repository) {
  const stats = { reads: 0, pending: 0, maxPending: 0, byId: new Map<HexHash, number>() };
  const content: SnapshotContent = {
    ...repositoryContent(repo),
    getTree: async (id) => {
      stats.reads++;
      stats.byId.set(id, (stats.byId.get(id) ?? 0) + 1);
      stats.pending++;
      stats.maxPending = Math.max(stats.maxPending, stats.pending);
      await new Promise((resolve) => setTimeout(resolve, 3));
      const tree = await repo.getTree(id);
      stats.pending--;
      return tree;
    },
  };
  return { content, stats };
}

async function events(content: SnapshotContent, root: Parameters<typeof walkSelection>[1]): Promise<string[]> {
  const out: string[] = [];
  for await (const ev of walkSelection(content, root, buildSelection([]), "posix")) out.push(`${ev.kind}:${ev.path}`);
  return out;
}

let repo: Repository;
let builder: SnapshotBuilder;

beforeEach(async () => {
  repo = await Repository.open(new MemoryObjectStore());
  builder = new SnapshotBuilder(repo);
});

describe("walk read-ahead", () => {
  it("yields the same pre-order events while reading several subdirectory trees at once, bounded per level", async () => {
    const { manifest } = await builder.snapshot(WIDE);
    const plain: SnapshotContent = { ...repositoryContent(repo), getTree: (id) => repo.getTree(id) };
    const expected = await events(plain, manifest.root);
    const { content, stats } = slowTrees(repo);
    const got = await events(content, manifest.root);
    expect(got).toEqual(expected);
    expect(got.slice(0, 4)).toEqual(["dir:", "file:r1.txt", "file:r2.txt", "dir:top-0"]);
    expect(stats.reads).toBe(1 + 3 + 36);
    expect(stats.maxPending).toBeGreaterThan(1);
    // At most READ_AHEAD + 1 reads per level, on the two levels below the root.
    expect(stats.maxPending).toBeLessThanOrEqual(2 * (READ_AHEAD + 1));
  });

  it("does not leave a read-ahead unhandled when a tree read fails", async () => {
    const { manifest } = await builder.snapshot(WIDE);
    const content: SnapshotContent = {
      ...repositoryContent(repo),
      getTree: async (id) => {
        if (id !== manifest.root.tree) throw new Error(`tree ${id} is gone`);
        return repo.getTree(id);
      },
    };
    await expect(events(content, manifest.root)).rejects.toThrow(/is gone/);
  });
});

describe("TreeMemo", () => {
  it("lets the second walk reuse every tree of the first, then holds nothing", async () => {
    const { manifest } = await builder.snapshot(WIDE);
    const { content, stats } = slowTrees(repo);
    const memo = new TreeMemo(content);
    const first = await events(memo.recording, manifest.root);
    expect(stats.reads).toBe(40);
    expect(memo.size).toBe(2 + 3 + 3 * 12 + 36 * 2);
    const second = await events(memo.replaying, manifest.root);
    expect(second).toEqual(first);
    expect(stats.reads).toBe(40);
    expect(memo.size).toBe(0);
  });

  it("keeps trees only within its budget of entries and reads the rest again", async () => {
    const { manifest } = await builder.snapshot(WIDE);
    const { content, stats } = slowTrees(repo);
    const memo = new TreeMemo(content, 10);
    await events(memo.recording, manifest.root);
    expect(memo.size).toBeLessThanOrEqual(10);
    const kept = memo.size;
    await events(memo.replaying, manifest.root);
    expect(stats.reads).toBeGreaterThan(40);
    expect(stats.reads).toBeLessThan(80);
    expect(kept).toBeGreaterThan(0);
    expect(memo.size).toBe(0);
  });

  it("hands a tree used in two places out twice (identical folders share one tree)", async () => {
    // Same ids and content below, so the same tree (its name is in the parent's tree).
    const twin = [file("same.txt", "same bytes", { id: 7, created: 1, written: 2 })];
    const { manifest } = await builder.snapshot([dir("a", twin, { id: 5, created: 1, written: 2 }), dir("b", twin, { id: 5, created: 1, written: 2 })]);
    const treeOf = async (name: string) => (await repo.getTree(manifest.root.tree)).directories.find((d) => d.name === name)!.tree;
    expect(await treeOf("a")).toBe(await treeOf("b"));
    const counted = new Map<HexHash, number>();
    const content: SnapshotContent = {
      ...repositoryContent(repo),
      getTree: (id) => {
        counted.set(id, (counted.get(id) ?? 0) + 1);
        return repo.getTree(id);
      },
    };
    const memo = new TreeMemo(content);
    const first = await events(memo.recording, manifest.root);
    const second = await events(memo.replaying, manifest.root);
    expect(second).toEqual(first);
    expect(first).toContain("file:b/same.txt");
    expect(memo.size).toBe(0);
    expect(Math.max(...counted.values())).toBeLessThanOrEqual(2);
  });

  it("refuses a budget that is not a non-negative integer", () => {
    expect(() => new TreeMemo(repositoryContent(repo), -1)).toThrow(/budget/);
    expect(() => new TreeMemo(repositoryContent(repo), 1.5)).toThrow(/budget/);
  });
});

describe("restoreSnapshot", () => {
  it("reads each tree once, and warms the chunk index up at the first file, before any chunk read", async () => {
    const { manifest } = await builder.snapshot(WIDE);
    const work = tempDir("tree-reads");
    try {
      const { content, stats } = slowTrees(repo);
      const calls: string[] = [];
      const base = repositoryContent(repo);
      const watched: SnapshotContent = {
        ...content,
        warmUp: async (id) => {
          calls.push(`warmUp:${id}`);
          await base.warmUp!(id);
        },
        readChunks: (ids) => {
          calls.push("readChunks");
          return base.readChunks!(ids);
        },
        readFile: (chunks) => {
          calls.push("readFile");
          return base.readFile(chunks);
        },
      };
      const target = await LocalRestoreTarget.open(`${work.path}/out`);
      const result = await restoreSnapshot({ content: watched, root: manifest.root, target, now: () => NOW });
      expect(result.files).toBe(2 + 72);
      expect(stats.reads).toBe(40);
      expect([...stats.byId.values()].every((n) => n === 1)).toBe(true);
      const firstFile = (await repo.getTree(manifest.root.tree)).files[0];
      expect(calls[0]).toBe(`warmUp:${firstFile.chunks[0].id}`);
      expect(calls.filter((c) => c.startsWith("warmUp"))).toHaveLength(1);
      expect(readTree(`${work.path}/out`).get("top-2/sub-11/y.txt")).toEqual(Buffer.from("y 2 11"));
    } finally {
      work.remove();
    }
  });

  it("warms up a cold index without changing what lookups answer", async () => {
    const { manifest } = await builder.snapshot(WIDE);
    await repo.flush();
    const reader = await Repository.open(repo.store);
    const content = repositoryContent(reader);
    const first = (await reader.getTree(manifest.root.tree)).files[0].chunks[0].id;
    await content.warmUp!(first);
    await content.warmUp!("00".repeat(32));
    expect(await reader.index.lookup(first)).toEqual(await (await Repository.open(repo.store)).index.lookup(first));
  });
});
