/** `check` on a healthy repository and after each kind of damage, naming what is affected. */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { checkRepository } from "../../../src/core/check/check";
import { packKey, treeKey } from "../../../src/core/repository/layout";
import { readAll } from "../../../src/core/repository/object-store";
import { Repository } from "../../../src/core/repository/repository";
import { dir, file, SnapshotBuilder } from "../restore/builder";

async function world() {
  const store = new MemoryObjectStore();
  const repo = await Repository.open(store);
  const { manifest, ref } = await new SnapshotBuilder(repo).snapshot([file("a.txt", "alpha", { sddl: "O:BAG:SYD:(A;;FA;;;SY)" }), dir("docs", [file("b.txt", Buffer.alloc(5000, 2))])], "share", 1_780_000_000_000);
  const [pack] = await (async () => { const out = []; for await (const p of repo.listPacks()) out.push(p); return out; })();
  return { store, repo: await Repository.open(store), manifest, ref, pack };
}

test("a healthy repository has no problem, with or without read-data", async () => {
  const { repo } = await world();
  expect(await checkRepository(repo)).toMatchObject({ packs: 1, packsRead: 0, chunks: 2, snapshots: 1, trees: 2, problems: [] });
  expect(await checkRepository(repo, { readDataFraction: 1 })).toMatchObject({ packsRead: 1, problems: [] });
});

test("a deleted pack names the snapshot and the files that lost data", async () => {
  const { store, repo, pack, ref } = await world();
  await store.delete(packKey(pack.id));
  const { problems } = await checkRepository(repo);
  expect(problems.join("\n")).toContain(`share@${ref.id.slice(0, 12)}`);
  expect(problems.join("\n")).toMatch(/is in no healthy pack.*"a\.txt"/);
  expect(problems.join("\n")).toMatch(/"docs\/b\.txt"/);
});

test("a truncated pack is reported as damaged", async () => {
  const { store, repo, pack } = await world();
  const bytes = await readAll(store, packKey(pack.id));
  await store.put(packKey(pack.id), bytes.subarray(0, bytes.length - 10));
  const { problems } = await checkRepository(repo);
  expect(problems[0]).toMatch(new RegExp(`^pack ${pack.id}: `));
  expect(problems.some((p) => p.includes('"docs/b.txt"'))).toBe(true);
});

test("a corrupted tree blob is named, with what lies below it", async () => {
  const { store, repo, manifest } = await world();
  const docs = (await repo.getTree(manifest.root.tree)).directories[0];
  const bytes = Buffer.from(await readAll(store, treeKey(docs.tree)));
  bytes[bytes.length - 1] ^= 0xff;
  await store.put(treeKey(docs.tree), bytes);
  const { problems } = await checkRepository(repo);
  expect(problems.some((p) => p.startsWith(`tree ${docs.tree}: `))).toBe(true);
  expect(problems.some((p) => /everything below it is lost.*"docs"/.test(p))).toBe(true);
});

test("a flipped chunk byte is found by read-data only, naming the file", async () => {
  const { store, repo, pack } = await world();
  const bytes = Buffer.from(await readAll(store, packKey(pack.id)));
  bytes[100] ^= 0x01;
  await store.put(packKey(pack.id), bytes);
  expect((await checkRepository(repo)).problems).toEqual([]);
  const { problems } = await checkRepository(repo, { readDataFraction: 1 });
  expect(problems.some((p) => /chunk \w+ is damaged.*"docs\/b\.txt"/.test(p))).toBe(true);
  expect((await checkRepository(repo, { readDataFraction: 0.5, random: () => 0.9 })).packsRead).toBe(0);
});

test("memory is bounded by maxChunkIds: more passes by chunk id prefix, the same problems", async () => {
  const store = new MemoryObjectStore();
  const writer = await Repository.open(store);
  const files = Array.from({ length: 60 }, (_, i) => file(`f${i}.txt`, `content of file ${i}`));
  const { ref } = await new SnapshotBuilder(writer).snapshot([dir("many", files)], "share", 1_780_000_000_000);
  const repo = await Repository.open(store);
  const whole = await checkRepository(repo);
  expect(whole).toMatchObject({ chunks: 60, passes: 1, maxChunkIdsHeld: 60, problems: [] });
  const bounded = await checkRepository(repo, { maxChunkIds: 10 });
  expect(bounded).toMatchObject({ chunks: 60, snapshots: 1, trees: 2, problems: [] });
  expect(bounded.passes).toBeGreaterThanOrEqual(6);
  expect(bounded.maxChunkIdsHeld).toBeLessThanOrEqual(10);

  const packs = [];
  for await (const p of repo.listPacks()) packs.push(p);
  await store.delete(packKey(packs[0].id));
  const lost = await checkRepository(repo, { maxChunkIds: 10 });
  expect(lost.maxChunkIdsHeld).toBeLessThanOrEqual(10);
  expect(lost.problems.join("\n")).toContain(`share@${ref.id.slice(0, 12)}`);
  expect(lost.problems.join("\n")).toMatch(/is in no healthy pack.*"many\/f\d+\.txt"/);
  expect(lost.problems.filter((p) => p.includes("is in no healthy pack"))).toHaveLength(60);
  expect(lost.problems.sort()).toEqual((await checkRepository(repo)).problems.sort());
});
