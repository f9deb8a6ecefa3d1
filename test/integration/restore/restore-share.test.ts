/**
 * Restore into the File emulator through the real SDK, from snapshots built in a repository on
 * Azurite: fidelity (bytes, sizes, attributes, times, permissions, metadata, sparse ranges), partial
 * restores into a folder of another share, every conflict policy, a resumed restore, and names an
 * SMB target cannot hold.
 */
import { newPipeline, ShareServiceClient, StorageSharedKeyCredential } from "@azure/storage-file-share";
import { AzureRestoreTarget } from "../../../src/adapters/azure-files/share-writer";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../../src/local/files-emulator";
import type { Repository } from "../../../src/core/repository/repository";
import { parseSmbAttributes } from "../../../src/core/repository/smb-attributes";
import { RestoreConflictError, UnsafePathError } from "../../../src/core/restore/errors";
import { repositoryContent } from "../../../src/core/restore/chunk-batch";
import { restoreSnapshot, type RestoreOptions } from "../../../src/core/restore/restorer";
import { HOSTILE_NAMES, TRAILING_DOT_NAMES, XML_UNSAFE_NAMES } from "../../../src/local/files-emulator/hostile-names";
import { blocks, dir, file, SnapshotBuilder, type Spec } from "../../unit/restore/builder";
import { failingAfter } from "../../unit/restore/local-target";
import { readShare, startRestoreWorld, type RestoreWorld } from "./world";

jest.setTimeout(60_000);
const NOW = Date.UTC(2026, 10, 28, 5, 0, 0);
const MiB = 1024 * 1024;
const ACL_A = "O:BAG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;OICI;0x1200a9;;;BU)";
const ACL_B = "O:BAG:SYD:PAI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)";

let world: RestoreWorld;
let repo: Repository;
let builder: SnapshotBuilder;
let shares = 0;

beforeAll(async () => {
  world = await startRestoreWorld();
  repo = await world.newRepository("restore-share");
  builder = new SnapshotBuilder(repo);
}, 60_000);
afterAll(() => world?.close());

async function restoreTo(children: readonly Spec[], extra: Partial<RestoreOptions> & { share?: string; folder?: string } = {}) {
  const { manifest } = await builder.snapshot(children);
  const shareName = extra.share ?? `restored-${++shares}`;
  const { target } = await AzureRestoreTarget.open(world.service, shareName, extra.folder ?? "");
  const result = await restoreSnapshot({ content: repositoryContent(repo), root: manifest.root, target, now: () => NOW, ...extra });
  return { result, share: world.service.getShareClient(shareName), target, manifest };
}

describe("restore to an Azure Files share", () => {
  it("restores a nasty corpus with bytes, sizes, attributes, times, ACLs, metadata and sparse ranges", async () => {
    const names = [...HOSTILE_NAMES, ...XML_UNSAFE_NAMES];
    let deep: Spec = file("bottom.txt", "deep", { sddl: ACL_B });
    for (let i = 19; i >= 0; i--) deep = dir(`d${i}`, [deep]);
    const sparse = blocks(12 * MiB, (b) => b === 0 || b === 11);
    const corpus: Spec[] = [
      dir("hostile", names.map((n, i) => (i % 2 === 0 ? file(n, `bytes of ${n}`) : dir(n, [file("inner", n)])))),
      file("empty-file", "", { attributes: 0x0 }),
      dir("empty-acl-dir", [], { sddl: ACL_A, attributes: 0x12, metadata: { owner: "finance", Tier: "cold" } }),
      deep,
      file("sparse.bin", sparse, { attributes: 0x2020 }),
      file("flags.txt", "many attributes", { attributes: 0x1 | 0x2 | 0x4 | 0x20 | 0x100, sddl: ACL_A, metadata: { project: "apollo", x_y: "1" }, created: 1_400_000_000_123_456, written: 1_500_000_000_654_321 }),
    ];
    const { result, share } = await restoreTo(corpus);
    expect(result.files).toBe(names.length + 4);
    const got = await readShare(share);

    for (const [i, n] of names.entries()) {
      if (i % 2 === 0) expect(got.get(`hostile/${n}`)?.bytes?.toString()).toBe(`bytes of ${n}`);
      else expect(got.get(`hostile/${n}/inner`)?.bytes?.toString()).toBe(n);
    }
    expect(got.get("empty-file")?.bytes?.length).toBe(0);
    const acl = got.get("empty-acl-dir/");
    expect(acl).toMatchObject({ kind: "dir", sddl: ACL_A, metadata: { owner: "finance", tier: "cold" } });
    expect(parseSmbAttributes(acl!.attributes)).toBe(0x12);
    expect(got.get(`${Array.from({ length: 20 }, (_, i) => `d${i}`).join("/")}/bottom.txt`)).toMatchObject({ sddl: ACL_B });

    const flags = got.get("flags.txt")!;
    expect(parseSmbAttributes(flags.attributes)).toBe(0x1 | 0x2 | 0x4 | 0x20 | 0x100);
    expect(flags).toMatchObject({ sddl: ACL_A, metadata: { project: "apollo", x_y: "1" }, created: 1_400_000_000_123, written: 1_500_000_000_654 });
    const props = await share.rootDirectoryClient.getFileClient("flags.txt").getProperties();
    expect(props._response.headers.get("x-ms-file-last-write-time")).toBe("2017-07-14T02:40:00.6543210Z");

    const expected: Buffer[] = [];
    for await (const b of sparse()) expected.push(b);
    expect(got.get("sparse.bin")?.bytes?.equals(Buffer.concat(expected))).toBe(true);
    const ranges = (await share.rootDirectoryClient.getFileClient("sparse.bin").getRangeList()).rangeList;
    const stored = ranges.reduce((a, r) => a + r.end - r.start + 1, 0);
    expect(stored).toBe(2 * MiB);
    expect(result.bytesWritten).toBeLessThan(result.bytes - 9 * MiB);
    expect([...got.keys()].filter((k) => k.includes(".afb-restore-"))).toEqual([]);
  });

  it("restores single files and a folder into a folder of another share", async () => {
    const { result, share } = await restoreTo(
      [file("a.txt", "alpha"), dir("docs", [file("x.md", "x"), dir("sub", [file("y.md", "y")])]), dir("other", [file("z", "z")])],
      { share: "elsewhere", folder: "restores/run-1", paths: ["a.txt", "docs/sub"] },
    );
    expect(result.files).toBe(2);
    const got = await readShare(share, "restores/run-1");
    expect([...got.keys()].sort()).toEqual(["restores/run-1/a.txt", "restores/run-1/docs/", "restores/run-1/docs/sub/", "restores/run-1/docs/sub/y.md"]);
  });

  it("refuses names SMB cannot hold, naming them, before writing anything", async () => {
    const children = [file("fine.txt", "ok"), file("CON", "device"), dir("x", [...TRAILING_DOT_NAMES.map((n) => file(n, n)), file("aux.log", "")]), file("A.TXT", "1"), file("a.txt", "2")];
    const name = `refused-${++shares}`;
    const err = await restoreTo(children, { share: name }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafePathError);
    const paths = (err as UnsafePathError).problems.map((p) => p.path).sort();
    expect(paths).toEqual(["CON", "a.txt", "x/aux.log", ...TRAILING_DOT_NAMES.map((n) => `x/${n}`)].sort());
    expect((err as Error).message).toMatch(/differ only in case/);
    expect((await readShare(world.service.getShareClient(name))).size).toBe(0);
  });
});

describe("conflicts and resume on a share", () => {
  const corpus: Spec[] = [file("a.txt", "alpha"), file("b.txt", "bravo"), dir("docs", [file("c.txt", "charlie"), file("d.txt", "delta")])];

  async function seeded(): Promise<string> {
    const name = `conflict-${++shares}`;
    const share = world.service.getShareClient(name);
    await share.create();
    await share.getDirectoryClient("docs").create();
    await share.rootDirectoryClient.getFileClient("A.TXT").uploadData(Buffer.from("alpha"));
    const c = share.rootDirectoryClient.getFileClient("docs/c.txt");
    await c.uploadData(Buffer.from("not charlie"));
    await c.setProperties({ fileAttributes: "ReadOnly" as never });
    return name;
  }

  it("fail names the existing paths (case-insensitively) and writes nothing", async () => {
    const name = await seeded();
    const before = await readShare(world.service.getShareClient(name));
    const err = await restoreTo(corpus, { share: name }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreConflictError);
    expect((err as RestoreConflictError).paths).toEqual(["a.txt", "docs/c.txt"]);
    expect(await readShare(world.service.getShareClient(name))).toEqual(before);
  });

  it("skip verifies identical files by digest and leaves different ones", async () => {
    const name = await seeded();
    const { result, share } = await restoreTo(corpus, { share: name, conflict: "skip" });
    expect(result).toMatchObject({ files: 2, verified: 1, skipped: ["docs/c.txt"] });
    expect((await share.rootDirectoryClient.getFileClient("docs/c.txt").downloadToBuffer()).toString()).toBe("not charlie");
  });

  it("overwrite replaces existing files, read-only ones too", async () => {
    const name = await seeded();
    const { result, share } = await restoreTo(corpus, { share: name, conflict: "overwrite" });
    expect(result).toMatchObject({ files: 4, overwritten: 2 });
    expect((await share.rootDirectoryClient.getFileClient("docs/c.txt").downloadToBuffer()).toString()).toBe("charlie");
  });

  it("rename restores beside existing files", async () => {
    const name = await seeded();
    const { result, share } = await restoreTo(corpus, { share: name, conflict: "rename" });
    expect(result.renamed.map((r) => r.as)).toEqual(["a (restored 2026-11-28T05-00-00Z).txt", "docs/c (restored 2026-11-28T05-00-00Z).txt"]);
    expect((await share.rootDirectoryClient.getFileClient("docs/c (restored 2026-11-28T05-00-00Z).txt").downloadToBuffer()).toString()).toBe("charlie");
  });

  it("a rerun with skip after an interruption writes only the files not completed", async () => {
    const many: Spec[] = [dir("batch", Array.from({ length: 24 }, (_, i) => file(`f${i}`, Buffer.alloc(2000 + i, i))))];
    const { manifest } = await builder.snapshot(many);
    const name = `resume-${++shares}`;
    const { target } = await AzureRestoreTarget.open(world.service, name);
    const flaky = failingAfter(target, 10);
    await expect(restoreSnapshot({ content: repositoryContent(repo), root: manifest.root, target: flaky, now: () => NOW, fileConcurrency: 3 })).rejects.toThrow(/injected failure/);
    const share = world.service.getShareClient(name);
    const etags = new Map<string, string | undefined>();
    for (const p of flaky.completed) etags.set(p, (await share.rootDirectoryClient.getFileClient(p).getProperties()).etag);

    const again = await restoreSnapshot({ content: repositoryContent(repo), root: manifest.root, target, now: () => NOW, conflict: "skip" });
    expect(again.verified).toBe(flaky.completed.length);
    expect(again.files).toBe(24 - flaky.completed.length);
    for (const [p, etag] of etags) expect((await share.rootDirectoryClient.getFileClient(p).getProperties()).etag).toBe(etag);
    const got = await readShare(share);
    for (let i = 0; i < 24; i++) expect(got.get(`batch/f${i}`)?.bytes).toEqual(Buffer.alloc(2000 + i, i));
    expect([...got.keys()].filter((k) => k.includes(".afb-restore-"))).toEqual([]);
  });

  it("a small file costs three requests (create with its properties, one range, rename); a read-only one two more", async () => {
    // A counting policy in front of the SDK's own records every request the target sends.
    const sent: { path: string; op: string }[] = [];
    const pipeline = newPipeline(new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY), { retryOptions: { maxTries: 2, retryDelayInMs: 10 } });
    pipeline.factories.unshift({
      create: (next) => ({
        sendRequest: (req) => {
          const url = new URL(req.url);
          sent.push({ path: decodeURIComponent(url.pathname), op: `${req.method} ${url.searchParams.get("comp") ?? "create"}` });
          return next.sendRequest(req);
        },
      }),
    });
    const { manifest } = await builder.snapshot([
      file("plain.txt", "plain bytes", { sddl: ACL_A, metadata: { owner: "ops" }, written: 1_500_000_000_654_321 }),
      file("locked.txt", "read-only bytes", { attributes: 0x1 | 0x20, metadata: { owner: "ops" } }),
      file("empty.txt", ""),
    ]);
    const { target } = await AzureRestoreTarget.open(new ShareServiceClient(world.service.url, pipeline), "counted-requests");
    await restoreSnapshot({ content: repositoryContent(repo), root: manifest.root, target, now: () => NOW });
    const perTemp = new Map<string, string[]>();
    for (const r of sent) if (r.path.endsWith(".part")) perTemp.set(r.path, [...(perTemp.get(r.path) ?? []), r.op]);
    // Rename is addressed to the final name (the source travels in a header): one per file.
    expect([...perTemp.values()].map((ops) => ops.join(", ")).sort()).toEqual([
      "PUT create", // empty: no range at all
      "PUT create, PUT range",
      "PUT create, PUT range, PUT properties, PUT metadata", // read-only: attributes after the bytes
    ]);
    expect(sent.filter((r) => r.op === "PUT rename").map((r) => r.path.split("/").pop()).sort()).toEqual(["empty.txt", "locked.txt", "plain.txt"]);
    const got = await readShare(world.service.getShareClient("counted-requests"));
    expect(got.get("plain.txt")).toMatchObject({ bytes: Buffer.from("plain bytes"), sddl: ACL_A, metadata: { owner: "ops" }, written: 1_500_000_000_654 });
    expect(got.get("locked.txt")).toMatchObject({ bytes: Buffer.from("read-only bytes"), metadata: { owner: "ops" } });
    expect(parseSmbAttributes(got.get("locked.txt")?.attributes ?? "") & 0x1).toBe(0x1);
    expect(got.get("empty.txt")?.bytes?.length).toBe(0);
  });
});
