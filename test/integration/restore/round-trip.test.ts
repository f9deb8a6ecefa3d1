/**
 * The whole loop through the real engines and SDKs: a nasty corpus made in the File emulator, backed
 * up by the backup engine (share snapshot, Cosmos node index, Azurite repository), then restored to
 * another share and to a local directory, and compared through the SDK (bytes, sizes, attributes,
 * times, permissions) and the file system (bytes, sizes, mtimes).
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CosmosClient } from "@azure/cosmos";
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { createShareServiceClient } from "../../../src/adapters/azure-files/client";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import { AzureRestoreTarget } from "../../../src/adapters/azure-files/share-writer";
import { blobObjectStore, repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import { CosmosNodeIndex } from "../../../src/adapters/cosmos/node-index";
import { LocalRestoreTarget } from "../../../src/adapters/local-fs/restore-target";
import { runBackup } from "../../../src/core/backup/backup";
import { Repository } from "../../../src/core/repository/repository";
import { repositoryContent } from "../../../src/core/restore/chunk-batch";
import { UnsafePathError } from "../../../src/core/restore/errors";
import { restoreSnapshot } from "../../../src/core/restore/restorer";
import { HOSTILE_NAMES, TRAILING_DOT_NAMES, XML_UNSAFE_NAMES } from "../../../src/local/files-emulator/hostile-names";
import { startTestStack, testCosmosClient, type TestStack } from "../../helpers/stack";
import { tempDir } from "../../unit/restore/local-target";
import { readShare } from "./world";
import { fileSpool } from "../../helpers/record-spools";

jest.setTimeout(90_000);
const MiB = 1024 * 1024;
const ACL = "O:BAG:SYD:P(A;;FA;;;SY)(A;OICI;0x1200a9;;;BU)";

let stack: TestStack<"files" | "blob" | "cosmos">;
let service: ShareServiceClient;
let cosmos: CosmosClient;
let repo: Repository;
let work: ReturnType<typeof tempDir>;
let rootTree: string;
let snapshotRoot: Awaited<ReturnType<Repository["getSnapshot"]>>["root"];
const sparseData = Buffer.alloc(16 * MiB);

async function put(share: ShareClient, path: string, data: Buffer): Promise<void> {
  const f = share.rootDirectoryClient.getFileClient(path);
  await f.create(data.length);
  for (let at = 0; at < data.length; at += 4 * MiB) {
    const piece = data.subarray(at, Math.min(data.length, at + 4 * MiB));
    if (piece.some((b) => b !== 0)) await f.uploadRange(piece, at, piece.length);
  }
}

beforeAll(async () => {
  stack = await startTestStack({ services: ["files", "blob", "cosmos"] });
  service = createShareServiceClient({ connectionString: stack.settings.files }, { retryOptions: { maxTries: 3, retryDelayInMs: 10 } });
  cosmos = testCosmosClient(stack);
  const store = blobObjectStore(repositoryConnectionFromSettings((n) => stack.productSettings[n]));
  await store.ensureContainer();
  repo = await Repository.open(store);
  work = tempDir("round-trip");

  const source = service.getShareClient("source");
  await source.create();
  await source.getDirectoryClient("hostile").create();
  for (const [i, name] of [...HOSTILE_NAMES, ...XML_UNSAFE_NAMES].entries()) await put(source, `hostile/${name}`, Buffer.from(`#${i} ${name}`));
  await source.getDirectoryClient("dots").create();
  for (const name of TRAILING_DOT_NAMES) await put(source, `dots/${name}`, Buffer.from(name));
  await put(source, "empty-file", Buffer.alloc(0));
  await source.getDirectoryClient("empty-acl").create({ filePermission: ACL });
  let deep = "deep";
  await source.getDirectoryClient(deep).create();
  for (let i = 0; i < 12; i++) await source.getDirectoryClient((deep += `/l${i}`)).create();
  await put(source, `${deep}/leaf.txt`, Buffer.from("leaf"));
  sparseData.fill(0x5a, 0, MiB);
  sparseData.fill(0xa5, 15 * MiB);
  await put(source, "sparse.bin", sparseData);
  await put(source, "flags.txt", Buffer.from("flags"));
  await source.rootDirectoryClient.getFileClient("flags.txt").setProperties({ fileAttributes: "ReadOnly|Hidden|System|Archive" as never, filePermission: ACL });

  const index = await CosmosNodeIndex.open({ client: cosmos, database: "restore-round-trip" });
  const summary = await runBackup({ recordSpool: fileSpool, share: "dev.source", shareId: "rt-src", reader: AzureShareReader.of(service, "source"), index, repository: repo, now: () => Date.UTC(2026, 10, 28) });
  const ref = (await (async () => { for await (const r of repo.listSnapshots("dev.source")) if (r.id === summary.snapshotId) return r; })())!;
  snapshotRoot = (await repo.getSnapshot(ref)).root;
  rootTree = snapshotRoot.tree;
}, 90_000);
afterAll(async () => {
  cosmos?.dispose();
  work?.remove();
  await stack?.stop();
});

const skipDots = (keys: Iterable<string>) => [...keys].filter((k) => !k.startsWith("dots/")).sort();

test("backup -> restore to another share is byte- and metadata-identical (SMB-safe names)", async () => {
  expect(rootTree).toMatch(/^[0-9a-f]{64}$/);
  const { target } = await AzureRestoreTarget.open(service, "copy");
  const everythingButDots = ["hostile", "empty-file", "empty-acl", "deep", "sparse.bin", "flags.txt"];
  await restoreSnapshot({ content: repositoryContent(repo), root: snapshotRoot, paths: everythingButDots, target, now: () => 0 });
  const before = await readShare(service.getShareClient("source"));
  const after = await readShare(service.getShareClient("copy"));
  expect(skipDots(after.keys())).toEqual(skipDots(before.keys()));
  for (const key of skipDots(before.keys())) {
    const a = before.get(key)!;
    const b = after.get(key)!;
    expect([key, b.bytes?.equals(a.bytes!) ?? true, b.attributes, b.created, b.written, b.sddl]).toEqual([key, true, a.attributes, a.created, a.written, a.sddl]);
  }
  const ranges = (await service.getShareClient("copy").rootDirectoryClient.getFileClient("sparse.bin").getRangeList()).rangeList;
  expect(ranges.reduce((n, r) => n + r.end - r.start + 1, 0)).toBe(2 * MiB);
});

test("a whole restore to a share refuses the trailing-dot names by path, writing nothing", async () => {
  const { target } = await AzureRestoreTarget.open(service, "whole-copy");
  const err = await restoreSnapshot({ content: repositoryContent(repo), root: snapshotRoot, target, now: () => 0 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UnsafePathError);
  expect((err as UnsafePathError).problems.map((p) => p.path).sort()).toEqual(TRAILING_DOT_NAMES.map((n) => `dots/${n}`).sort());
  expect((await readShare(service.getShareClient("whole-copy"))).size).toBe(0);
});

test("backup -> restore to a local directory: every name, bytes, sizes and mtimes", async () => {
  const into = join(work.path, "local");
  await restoreSnapshot({ content: repositoryContent(repo), root: snapshotRoot, target: await LocalRestoreTarget.open(into), now: () => 0 });
  const before = await readShare(service.getShareClient("source"));
  for (const [key, entry] of before) {
    const p = join(into, ...key.replace(/\/$/, "").split("/"));
    const st = statSync(p);
    if (entry.kind === "dir") {
      expect([key, st.isDirectory()]).toEqual([key, true]);
      continue;
    }
    expect([key, readFileSync(p).equals(entry.bytes!)]).toEqual([key, true]);
    expect([key, Math.floor(st.mtimeMs)]).toEqual([key, entry.written]);
  }
  expect(statSync(join(into, "sparse.bin")).blocks * 512).toBeLessThan(4 * MiB);
  expect(statSync(join(into, "flags.txt")).mode & 0o222).toBe(0);
});
