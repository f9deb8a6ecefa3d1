/**
 * backupShare end to end through the local durable host on the local stack: the real orchestrations
 * (scanTree with one listDirectory per directory, content and seal fan-out), the real activities,
 * Azurite, cosmosdb-server and the File emulator through the real SDKs.
 */
import { build } from "../backup/world";
import { engineBackup, newRegisteredShare, registerAppWorld, resultOf, runBackupShare, setServicesWrapper, startAppWorld, type AppWorld } from "./backup-share-world";
import type { AppServices } from "../../../src/functions/services";

registerAppWorld();

let w: AppWorld;
beforeAll(async () => {
  w = await startAppWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

function tree(prefix: string, dirs: number, files: number, size = 300): Record<string, string> {
  const out: Record<string, string> = {};
  for (let d = 0; d < dirs; d++) {
    out[`${prefix}${d}/`] = "";
    out[`${prefix}${d}/sub/`] = "";
    for (let f = 0; f < files; f++) out[`${prefix}${d}/sub/f${f}.txt`] = `${prefix}${d}/${f} `.repeat(size).slice(0, size);
  }
  return out;
}

test("a full then an incremental backup through the orchestration equal the engine's backups of the same states", async () => {
  const { id, share } = await newRegisteredShare(w);
  const content = { "top.txt": "top level", "empty/": "", ...tree("a", 3, 4), ...tree("big", 1, 30, 2000) };
  await build(share, content);

  const first = resultOf(await runBackupShare(w, id));
  // every entry and the root: 3 x (dir, sub, 4 files) + (dir, sub, 30 files) + top.txt + empty + root
  expect(first).toMatchObject({ added: 3 * 6 + 32 + 3, deleted: 0, files: 3 * 4 + 30 + 1, unstable: 0, errors: 0 });
  expect(first.bytesRead).toBe(Object.values(content).reduce((n, v) => n + v.length, 0));
  expect(first.bytesNew).toBeGreaterThan(0);
  const engineFirst = await engineBackup(w, share.name, "engine.first", "engine-first");
  expect(first.rootTree).toBe(engineFirst.rootTree);

  // edit one file, rename the big directory, delete one, add one
  await share.getDirectoryClient("a0/sub").getFileClient("f0.txt").uploadData(Buffer.from("edited content"));
  await share.getDirectoryClient("big0").rename("renamed-big");
  await share.getDirectoryClient("a1/sub").getFileClient("f1.txt").delete();
  await build(share, { "a2/new.txt": "new file" });

  const second = resultOf(await runBackupShare(w, id));
  expect(second).toMatchObject({ added: 1, modified: 1, renamed: 1, deleted: 1, errors: 0 });
  expect(second.bytesRead).toBe("edited content".length + "new file".length);
  const engineSecond = await engineBackup(w, share.name, "engine.second", "engine-second");
  expect(second.rootTree).toBe(engineSecond.rootTree);

  const third = resultOf(await runBackupShare(w, id));
  expect(third).toMatchObject({ added: 0, modified: 0, renamed: 0, deleted: 0, bytesRead: 0, treesWritten: 0, rootTree: second.rootTree });
  // REST user metadata changes nothing a listing shows but the ETag: a metadata-only change, no content read
  await share.rootDirectoryClient.getFileClient("top.txt").setMetadata({ owner: "ops" });
  const fourth = resultOf(await runBackupShare(w, id));
  expect(fourth).toMatchObject({ metadataOnly: 1, modified: 0, bytesRead: 0 });
  const repository = await w.services.repository();
  const top = (await repository.getTree(fourth.rootTree)).files.find((f) => f.name === "top.txt");
  expect(top?.userMetadata).toEqual({ owner: "ops" });
  const snapshots = [];
  for await (const ref of repository.listSnapshots(first.share)) snapshots.push(ref.id);
  expect(snapshots).toEqual([first.snapshotId, second.snapshotId, third.snapshotId, fourth.snapshotId]);
}, 120_000);

test("the orchestration's history stays small, its custom status ends done, and replaying it yields the same actions", async () => {
  const { id, share } = await newRegisteredShare(w);
  await build(share, tree("d", 5, 3));
  const status = await runBackupShare(w, id);
  expect(resultOf(status).files).toBe(15);
  expect(status.customStatus).toMatchObject({ phase: "done", files: 15, dirs: 10, errors: 0 });
  const history = w.host.history(status.instanceId);
  expect(history.length).toBeLessThan(100);
  const replayed = await w.host.replayActions("backupShare", status.instanceId, status.input, history);
  expect(replayed).toEqual(w.host.actions(status.instanceId));
}, 120_000);

test("an activity failing twice is retried; one that always fails fails the orchestration with the reason, releases the lock, and a rerun succeeds", async () => {
  const { id, share } = await newRegisteredShare(w);
  await build(share, { "x/": "", "x/one.txt": "one", "two.txt": "two" });

  let repositoryFailures = 2;
  setServicesWrapper((s: AppServices) => ({
    ...s,
    repository: async () => {
      if (repositoryFailures-- > 0) throw new Error("injected transient repository failure");
      return s.repository();
    },
  }));
  try {
    const retried = resultOf(await runBackupShare(w, id));
    expect(retried).toMatchObject({ files: 2, added: 4 });
    expect(repositoryFailures).toBeLessThan(0);

    await share.rootDirectoryClient.getFileClient("two.txt").uploadData(Buffer.from("two, edited"));
    setServicesWrapper((s: AppServices) => ({ ...s, index: async () => { throw new Error("injected permanent index failure"); } }));
    const failed = await runBackupShare(w, id);
    expect(failed.runtimeStatus).toBe("Failed");
    expect(String(failed.output)).toMatch(/backup of share .* failed during .*injected permanent index failure/);
    expect(failed.customStatus).toMatchObject({ phase: "failed" });
    const reported = w.telemetry.events.filter((e) => e.properties.shareId === id);
    expect(reported.map((e) => e.name)).toEqual(["BackupCompleted", "BackupFailed"]);
    expect(reported[0].properties).toMatchObject({ trigger: "http", instanceId: `backup-${id}`, snapshotId: retried.snapshotId });
    expect(reported[1].properties.failure).toMatch(/injected permanent index failure/);
  } finally {
    setServicesWrapper(undefined);
  }
  const rerun = resultOf(await runBackupShare(w, id));
  expect(rerun).toMatchObject({ modified: 1, bytesRead: "two, edited".length, errors: 0 });
}, 120_000);

test("the share's include and exclude patterns select what is backed up, in the scan and in the trees alike", async () => {
  const { id, share } = await newRegisteredShare(w, { exclude: ["*.tmp", "cache"], include: ["**/*.txt", "docs/**"] });
  await build(share, { "keep/": "", "keep/a.txt": "a", "keep/b.tmp": "b", "keep/c.bin": "c", "cache/": "", "cache/x.txt": "x", "docs/": "", "docs/r.pdf": "r" });
  const first = resultOf(await runBackupShare(w, id));
  expect(first).toMatchObject({ files: 2, bytesRead: 2, unstable: 0 });
  const repository = await w.services.repository();
  const manifest = await repository.getSnapshot((await listRefs(repository, first.share))[0]);
  const names: string[] = [];
  for (const d of (await repository.getTree(manifest.root.tree)).directories) {
    for (const f of (await repository.getTree(d.tree)).files) names.push(`${d.name}/${f.name}`);
  }
  expect(names.sort()).toEqual(["docs/r.pdf", "keep/a.txt"]);
  const again = resultOf(await runBackupShare(w, id));
  expect(again).toMatchObject({ added: 0, modified: 0, deleted: 0, bytesRead: 0, rootTree: first.rootTree });
}, 120_000);

async function listRefs(repository: Awaited<ReturnType<AppServices["repository"]>>, share: string) {
  const refs = [];
  for await (const ref of repository.listSnapshots(share)) refs.push(ref);
  return refs;
}
