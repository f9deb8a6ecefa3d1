/** `check` against a repository on Azurite, through the product's BlobObjectStore: damage is named. */
import { checkRepository } from "../../../src/core/check/check";
import { packKey } from "../../../src/core/repository/layout";
import { readAll } from "../../../src/core/repository/object-store";
import { dir, file, SnapshotBuilder } from "../../unit/restore/builder";
import { startRestoreWorld, type RestoreWorld } from "./world";

jest.setTimeout(60_000);
let world: RestoreWorld;
beforeAll(async () => {
  world = await startRestoreWorld();
}, 60_000);
afterAll(() => world?.close());

test("a flipped byte is found by read-data and a deleted pack by the structure check", async () => {
  const repo = await world.newRepository("check-damage");
  const { ref } = await new SnapshotBuilder(repo).snapshot([file("a.txt", Buffer.alloc(3000, 1)), dir("d", [file("b.txt", "bravo")])], "share", 1_780_000_000_000);
  expect((await checkRepository(repo, { readDataFraction: 1 })).problems).toEqual([]);
  const packs = [];
  for await (const p of repo.listPacks()) packs.push(p);
  const bytes = Buffer.from(await readAll(repo.store, packKey(packs[0].id)));
  bytes[10] ^= 0x80;
  await repo.store.put(packKey(packs[0].id), bytes);
  const flipped = await checkRepository(repo, { readDataFraction: 1 });
  expect(flipped.problems.join("\n")).toMatch(new RegExp(`is damaged; affects snapshot\\(s\\) share@${ref.id.slice(0, 12)}: "a.txt"`));
  await repo.store.delete(packKey(packs[0].id));
  const lost = await checkRepository(repo);
  expect(lost.problems.join("\n")).toMatch(/is in no healthy pack.*"a\.txt"/);
  expect(lost.problems.join("\n")).toMatch(/"d\/b\.txt"/);
});
