/**
 * The restore routes through the local durable host on the local stack (Azurite, the File emulator,
 * the real SDKs): GET /api/shares/{id}/snapshots (newest first, limit, 404), POST /api/restores of a
 * folder and of single files into another share, followed through GET /api/operations/{id} to the end
 * and compared byte for byte and property for property with the source; conflict `fail` naming the
 * path with nothing written; 400s naming each field, 404s, 409 for a repeated requestId.
 */
import { createHash, randomBytes } from "node:crypto";
import { FileSystemAttributes, type ShareClient } from "@azure/storage-file-share";
import { listAll } from "../../../src/core/repository/object-store";
import { build } from "../backup/world";
import { readShare } from "../restore/world";
import { backupNow, get, newRegisteredShare, pollOperation, post, registerRestoreWorld, startRestoreAppWorld, type RestoreAppWorld } from "./restore-world";

const functions = registerRestoreWorld();
let w: RestoreAppWorld;
let source: { id: string; share: ShareClient };
let snapshotIds: string[];
const big = randomBytes(3 * 1024 * 1024 + 17);
const ACL = "O:BAG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;OICI;0x1200a9;;;BU)";

beforeAll(async () => {
  w = await startRestoreAppWorld();
  source = await newRegisteredShare(w);
  await build(source.share, {
    "top.txt": "top level",
    "docs/": "",
    "docs/a.txt": "alpha",
    "docs/b.bin": randomBytes(300_000),
    "docs/big.bin": big,
    "docs/empty/": "",
    "docs/sub/": "",
    "docs/sub/c.txt": "gamma",
    "other/": "",
    "other/x.txt": "x",
  });
  const a = source.share.rootDirectoryClient.getFileClient("docs/a.txt");
  await a.setProperties({ fileAttributes: FileSystemAttributes.parse("ReadOnly|Archive"), creationTime: new Date("2020-01-02T03:04:05.678Z"), lastWriteTime: new Date("2021-05-06T07:08:09.123Z") });
  await source.share.rootDirectoryClient.getFileClient("docs/b.bin").setProperties({ filePermission: ACL });
  await source.share.getDirectoryClient("docs/sub").setProperties({ creationTime: new Date("2019-09-09T09:09:09.999Z"), lastWriteTime: new Date("2019-10-10T10:10:10.101Z") });
  const first = await backupNow(w, source.id);
  await build(source.share, { "other/y.txt": "later" });
  const second = await backupNow(w, source.id);
  snapshotIds = [second.snapshotId, first.snapshotId];
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

type Json = Record<string, unknown>;

/**
 * Entries under `dir` of `share`, keyed relative to `dir`, bytes as their SHA-256 (small diffs).
 * User metadata is left out: the backup engine does not read it from the share (AzureShareReader).
 */
async function tree(share: ShareClient, dir: string) {
  const out = new Map<string, unknown>();
  for (const [k, { bytes, metadata: _metadata, ...v }] of await readShare(share, dir)) out.set(k.slice(dir.length + 1), { ...v, sha256: bytes === undefined ? undefined : createHash("sha256").update(bytes).digest("hex") });
  return out;
}

async function startRestore(body: Json): Promise<string> {
  const res = await post(w, "/api/restores", body);
  if (res.status !== 202) throw new Error(`POST /api/restores: ${res.status} ${res.text()}`);
  const payload = res.json() as { id: string; statusQueryGetUri: string };
  expect(payload.statusQueryGetUri).toContain(payload.id);
  expect(res.headers.location).toBeDefined();
  return payload.id;
}

test("restore routes are HTTP functions with function-level keys", () => {
  for (const name of ["listSnapshots", "startRestore"]) expect(functions.require(name, "httpTrigger").trigger.authLevel).toBe("function");
});

test("GET /api/shares/{id}/snapshots lists newest first with stats, honours limit, 400 for a bad limit, 404 for an unknown share", async () => {
  const all = await get(w, `/api/shares/${source.id}/snapshots`);
  expect(all.status).toBe(200);
  const body = all.json() as { snapshots: Json[] };
  expect(body.snapshots.map((s) => s.id)).toEqual(snapshotIds);
  expect(body.snapshots[0]).toMatchObject({ stats: { files: 7, filesNew: 1 }, shareSnapshot: expect.any(String) });
  expect(Date.parse(String(body.snapshots[0].time))).toBeGreaterThan(Date.parse(String(body.snapshots[1].time)));
  const one = (await get(w, `/api/shares/${source.id}/snapshots?limit=1`)).json() as { snapshots: Json[] };
  expect(one.snapshots.map((s) => s.id)).toEqual([snapshotIds[0]]);
  for (const bad of ["0", "1001", "ten"]) {
    const res = await get(w, `/api/shares/${source.id}/snapshots?limit=${bad}`);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ field: "limit" });
  }
  expect((await get(w, "/api/shares/nobody/snapshots")).status).toBe(404);
});

test("a folder restored into another share's folder is byte- and property-identical, and the run leaves no documents", async () => {
  const id = await startRestore({ shareId: source.id, snapshot: snapshotIds[1].slice(0, 10), paths: ["docs"], target: { share: "rdst1", dir: "restored" } });
  expect(id).toMatch(new RegExp(`^restore-${source.id}-`));
  const view = await pollOperation(w, id);
  expect(view).toMatchObject({ phase: "completed", errors: [], progress: { phase: "done", files: 4, errors: 0 } });
  expect(view.result).toMatchObject({ snapshotId: snapshotIds[1], files: 4, bytes: 5 + 300_000 + big.length + 5, skipped: 0, renamed: 0, dirs: 3 });
  const got = await tree(w.service.getShareClient("rdst1"), "restored/docs");
  expect([...got.keys()].sort()).toEqual(["a.txt", "b.bin", "big.bin", "empty/", "sub/", "sub/c.txt"]);
  expect(got).toEqual(await tree(source.share, "docs"));
  expect(got.get("a.txt")).toMatchObject({ attributes: expect.stringContaining("ReadOnly"), created: Date.parse("2020-01-02T03:04:05.678Z") });
  expect(got.get("b.bin")).toMatchObject({ sddl: ACL });
  expect(got.get("sub/")).toMatchObject({ created: Date.parse("2019-09-09T09:09:09.999Z"), written: Date.parse("2019-10-10T10:10:10.101Z") });
  const left = [];
  for await (const item of listAll(await w.services.store(), "runs/restore/")) left.push(item.key);
  expect(left).toEqual([]);
});

test("single files go to the same paths in the target share, with their folders", async () => {
  const id = await startRestore({ shareId: source.id, snapshot: "latest", paths: ["top.txt", "docs/sub/c.txt", "other/y.txt"], target: { share: "rdst2" } });
  const view = await pollOperation(w, id);
  expect(view).toMatchObject({ phase: "completed", result: { files: 3, snapshotId: snapshotIds[0] } });
  const dst = w.service.getShareClient("rdst2");
  const got = await readShare(dst);
  expect([...got.keys()].sort()).toEqual(["docs/", "docs/sub/", "docs/sub/c.txt", "other/", "other/y.txt", "top.txt"]);
  const src = await readShare(source.share);
  for (const path of ["top.txt", "docs/sub/c.txt", "other/y.txt", "docs/sub/"]) expect(got.get(path)).toEqual(src.get(path));
});

test("conflict fail: the operation fails naming the path and writes nothing; skip then finishes the restore", async () => {
  const first = await startRestore({ shareId: source.id, snapshot: snapshotIds[0], paths: ["docs"], target: { share: "rdst3" } });
  expect((await pollOperation(w, first)).phase).toBe("completed");
  const dst = w.service.getShareClient("rdst3");
  await dst.rootDirectoryClient.getFileClient("docs/sub/c.txt").delete();
  await dst.rootDirectoryClient.getFileClient("docs/b.bin").delete();

  const again = await startRestore({ shareId: source.id, snapshot: snapshotIds[0], paths: ["docs"], target: { share: "rdst3" } });
  const failed = await pollOperation(w, again);
  expect(failed).toMatchObject({ phase: "failed", progress: { phase: "failed", errors: 1 } });
  expect(String((failed.errors as string[])[0])).toMatch(/refused: 2 path\(s\) already exist in Azure Files share rdst3;.*\n\s+docs\/a\.txt/s);
  const after = await readShare(dst);
  expect(after.has("docs/sub/c.txt")).toBe(false);
  expect(after.has("docs/b.bin")).toBe(false);

  const skip = await startRestore({ shareId: source.id, snapshot: snapshotIds[0], paths: ["docs"], target: { share: "rdst3" }, conflict: "skip" });
  expect(await pollOperation(w, skip)).toMatchObject({ phase: "completed", result: { files: 2, verified: 2, skipped: 0 } });
  expect(await tree(dst, "docs")).toEqual(await tree(source.share, "docs"));
  const reported = w.telemetry.events.filter((e) => [first, again, skip].includes(e.properties.instanceId));
  expect(reported.map((e) => e.name)).toEqual(["RestoreCompleted", "RestoreFailed", "RestoreCompleted"]);
  expect(reported[1].properties.failure).toMatch(/already exist in Azure Files share rdst3/);
});

test("rename keeps the existing file and restores a copy beside it", async () => {
  const dst = w.service.getShareClient("rdst4");
  await dst.create();
  await build(dst, { "top.txt": "something else" });
  const id = await startRestore({ shareId: source.id, snapshot: "latest", paths: ["top.txt"], target: { sameShare: false, share: "rdst4" }, conflict: "rename" }).catch((e: Error) => e);
  expect(id).toBeInstanceOf(Error);
  const ok = await startRestore({ shareId: source.id, snapshot: "latest", paths: ["top.txt"], target: { share: "rdst4" }, conflict: "rename" });
  expect(await pollOperation(w, ok)).toMatchObject({ phase: "completed", result: { files: 1, renamed: 1 } });
  const got = await readShare(dst);
  expect(got.get("top.txt")).toMatchObject({ bytes: Buffer.from("something else") });
  const copies = [...got.keys()].filter((k) => k.startsWith("top (restored "));
  expect(copies).toHaveLength(1);
  expect(got.get(copies[0])).toMatchObject({ bytes: Buffer.from("top level") });
});

describe("bad requests", () => {
  const secret = "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  test.each([
    [{ snapshot: "latest", target: { share: "abc" } }, "shareId", /is required/],
    [{ shareId: "x", snapshot: "yesterday", target: { share: "abc" } }, "snapshot", /latest/],
    [{ shareId: "x", snapshot: "latest" }, "target", /is required/],
    [{ shareId: "x", snapshot: "latest", target: { share: "Bad_Name" } }, "target.share", /Azure file share name/],
    [{ shareId: "x", snapshot: "latest", target: { share: "abc", dir: "a/CON" } }, "target.dir", /Windows device name/],
    [{ shareId: "x", snapshot: "latest", target: { dir: "a" } }, "target", /"sameShare": true/],
    [{ shareId: "x", snapshot: "latest", target: { share: "abc" }, conflict: "merge" }, "conflict", /fail, skip, overwrite, rename/],
    [{ shareId: "x", snapshot: "latest", target: { share: "abc" }, paths: ["docs/../etc"] }, "paths[0]", /\.\./],
    [{ shareId: "x", snapshot: "latest", target: { share: "abc" }, toDir: "/tmp" }, "toDir", /not a known field/],
    [{ shareId: "x", snapshot: "latest", target: { share: "abc" }, requestId: secret }, "requestId", /secret/],
    ["{not json", "(body)", /not valid JSON/],
    ["[1]", "(body)", /expected object/],
  ])("400 naming the field (%#)", async (body, field, reason) => {
    const res = await post(w, "/api/restores", body);
    expect(res.status).toBe(400);
    const payload = res.json() as { field: string; reason: string; error: string };
    expect(payload.field).toBe(field);
    expect(payload.reason).toMatch(reason);
    expect(res.text()).not.toContain("Eby8vdM02x");
  });

  test("404 for an unknown share or snapshot; 409 for a repeated requestId", async () => {
    expect((await post(w, "/api/restores", { shareId: "nobody", snapshot: "latest", target: { share: "abc" } })).status).toBe(404);
    const unknown = await post(w, "/api/restores", { shareId: source.id, snapshot: "0000ffff", target: { share: "abc" } });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: expect.stringMatching(/no snapshot .* starting with 0000ffff/) });
    const body = { shareId: source.id, snapshot: "latest", paths: ["top.txt"], target: { share: "rdst5" }, requestId: "ticket-42" };
    const id = await startRestore(body);
    expect(id).toBe(`restore-${source.id}-ticket-42`);
    const twice = await post(w, "/api/restores", body);
    expect(twice.status).toBe(409);
    expect(twice.json()).toMatchObject({ instanceId: id });
    expect((await pollOperation(w, id)).phase).toBe("completed");
  });
});
