/**
 * File service conformance, part 1: shares, directories, files, properties, permissions, rename and
 * the error codes the SDK's *IfExists / *IfNotExists helpers rely on — through the real SDK, against
 * every target (the emulator always; a real account when AFB_LIVE_FILES_CONNECTION_STRING is set).
 */
import { AccountSASPermissions, FileSASPermissions, FileSystemAttributes, ShareClient, ShareFileClient, ShareSASPermissions, ShareServiceClient } from "@azure/storage-file-share";
import { Readable } from "node:stream";
import { closeTargetShare, failureOf, openTargetShare, targets, uniqueShare, type Target } from "./targets";

describe.each(targets())("File service conformance (tree) against $name", (target: Target) => {
  let service: ShareServiceClient;
  let share: ShareClient;

  beforeAll(async () => {
    ({ service, share } = await openTargetShare(target, "tree"));
  });
  afterAll(() => closeTargetShare(target, share));

  test("shares: create, properties, metadata, list, the IfExists helpers, delete", async () => {
    const s = service.getShareClient(uniqueShare("s"));
    await s.create({ metadata: { owner: "afb" }, quota: 10 });
    expect((await s.createIfNotExists()).succeeded).toBe(false);
    expect(await failureOf(s.create())).toEqual({ status: 409, code: "ShareAlreadyExists" });
    const props = await s.getProperties();
    expect(props.metadata).toEqual({ owner: "afb" });
    expect(props.quota).toBe(10);
    expect(props.etag).toMatch(/^"0x[0-9A-F]+"$/);
    await s.setMetadata({ a: "1", b: "two" });
    expect((await s.getProperties()).metadata).toEqual({ a: "1", b: "two" });
    const listed = [];
    for await (const item of service.listShares({ prefix: s.name, includeMetadata: true })) listed.push(item);
    expect(listed.map((i) => i.name)).toEqual([s.name]);
    expect(listed[0].metadata).toEqual({ a: "1", b: "two" });
    await s.delete();
    expect((await s.deleteIfExists()).succeeded).toBe(false);
    expect(await failureOf(s.getProperties())).toEqual({ status: 404, code: "ShareNotFound" });
    expect(await s.exists()).toBe(false);
  });

  test("directories: create, IfNotExists, ParentNotFound, properties, metadata, SMB properties, delete", async () => {
    const d = share.getDirectoryClient("dirs");
    const created = await d.create({ metadata: { k: "v" } });
    expect(created.fileId).toMatch(/^\d+$/);
    expect((await d.createIfNotExists()).succeeded).toBe(false);
    expect(await failureOf(d.create())).toEqual({ status: 409, code: "ResourceAlreadyExists" });
    expect(await failureOf(share.getDirectoryClient("missing/child").create())).toEqual({ status: 404, code: "ParentNotFound" });
    const props = await d.getProperties();
    expect(props.fileId).toBe(created.fileId);
    expect(props.metadata).toEqual({ k: "v" });
    expect(props.fileAttributes).toContain("Directory");
    expect(props.filePermissionKey).toBeTruthy();
    await d.setMetadata({ other: "x" });
    expect((await d.getProperties()).metadata).toEqual({ other: "x" });
    const when = new Date("2020-02-03T04:05:06.789Z");
    await d.setProperties({ fileAttributes: FileSystemAttributes.parse("Hidden"), creationTime: when, lastWriteTime: when });
    const after = await d.getProperties();
    expect(after.fileAttributes).toContain("Hidden");
    expect(after.fileCreatedOn?.toISOString()).toBe(when.toISOString());
    expect(after.fileLastWriteOn?.toISOString()).toBe(when.toISOString());
    const root = await share.getDirectoryClient("").getProperties();
    expect(root.filePermissionKey).toBeTruthy();
    expect(root.fileId).toBeTruthy();
    await d.getFileClient("f").create(1);
    expect(await failureOf(d.delete())).toEqual({ status: 409, code: "DirectoryNotEmpty" });
    await d.getFileClient("f").delete();
    await d.delete();
    expect((await d.deleteIfExists()).succeeded).toBe(false);
    expect(await failureOf(d.getProperties())).toMatchObject({ status: 404 });
  });

  test("files: sparse create, Put Range update and clear, ranged Get, properties, headers, delete", async () => {
    const d = share.getDirectoryClient("files");
    await d.create();
    const f = d.getFileClient("data.bin");
    const created = await f.create(10_000, { metadata: { m: "1" } });
    expect(created.fileId).toMatch(/^\d+$/);
    expect((await f.downloadToBuffer()).equals(Buffer.alloc(10_000))).toBe(true);
    const chunk = Buffer.alloc(4096, 7);
    await f.uploadRange(chunk, 1024, chunk.length);
    const part = await f.download(1000, 100);
    expect(part.contentLength).toBe(100);
    expect(part.contentRange).toBe("bytes 1000-1099/10000");
    expect(part.etag).toBeTruthy();
    const body = await streamToBuffer(part.readableStreamBody as NodeJS.ReadableStream);
    expect(body.subarray(0, 24).equals(Buffer.alloc(24))).toBe(true);
    expect(body.subarray(24).equals(Buffer.alloc(76, 7))).toBe(true);
    await f.clearRange(2048, 1024);
    const whole = await f.downloadToBuffer();
    expect(whole.subarray(2048, 3072).equals(Buffer.alloc(1024))).toBe(true);
    expect(whole.subarray(1024, 2048).equals(Buffer.alloc(1024, 7))).toBe(true);
    const ranges = await f.getRangeList();
    expect(ranges.rangeList).toEqual([{ start: 1024, end: 2047 }, { start: 3072, end: 5119 }]);
    const props = await f.getProperties();
    expect(props.contentLength).toBe(10_000);
    expect(props.fileId).toBe(created.fileId);
    expect(props.fileParentId).toBe((await d.getProperties()).fileId);
    expect(props.fileAttributes).toContain("Archive");
    expect(props.filePermissionKey).toBeTruthy();
    expect(props.fileCreatedOn).toBeInstanceOf(Date);
    expect(props.fileChangeOn).toBeInstanceOf(Date);
    expect(props.metadata).toEqual({ m: "1" });
    await f.setMetadata({ n: "2" });
    expect((await f.getProperties()).metadata).toEqual({ n: "2" });
    await f.setHttpHeaders({ fileContentType: "text/plain", fileCacheControl: "no-cache" });
    const h = await f.getProperties();
    expect(h.contentType).toBe("text/plain");
    expect(h.cacheControl).toBe("no-cache");
    await f.resize(3000);
    expect((await f.getProperties()).contentLength).toBe(3000);
    expect(await failureOf(f.download(5000, 10))).toEqual({ status: 416, code: "InvalidRange" });
    await f.delete();
    expect((await f.deleteIfExists()).succeeded).toBe(false);
    expect(await failureOf(f.getProperties())).toEqual({ status: 404, code: "ResourceNotFound" });
    expect(await failureOf(d.getFileClient("nodir/x").getProperties())).toMatchObject({ status: 404 });
  });

  test("files: the SDK's multi-range helpers (uploadData, uploadStream, downloadToBuffer) and share stats", async () => {
    const d = share.getDirectoryClient("helpers");
    await d.create();
    const data = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    const a = d.getFileClient("data.bin");
    await a.uploadData(data, { rangeSize: 4 * 1024 * 1024, concurrency: 4 });
    expect((await a.downloadToBuffer(0, undefined, { rangeSize: 2 * 1024 * 1024, concurrency: 3 })).equals(data)).toBe(true);
    const b = d.getFileClient("stream.bin");
    await b.uploadStream(Readable.from([data.subarray(0, 5_000_000), data.subarray(5_000_000)]), data.length, 1024 * 1024, 4);
    expect((await b.downloadToBuffer()).equals(data)).toBe(true);
    expect((await share.getStatistics()).shareUsageBytes).toBeGreaterThanOrEqual(2 * data.length);
  });

  test("files: SMB properties with times, attributes and a permission key", async () => {
    const sddl = "O:BAG:SYD:(A;;FA;;;BA)(A;;0x1200a9;;;WD)";
    const { filePermissionKey } = await share.createPermission(sddl);
    expect(filePermissionKey).toBeTruthy();
    expect((await share.createPermission(sddl)).filePermissionKey).toBe(filePermissionKey);
    expect((await share.getPermission(filePermissionKey as string)).permission).toContain("O:BA");
    const f = share.getDirectoryClient("").getFileClient("smb.txt");
    const t = new Date("2021-06-07T08:09:10.123Z");
    await f.create(5, { fileAttributes: FileSystemAttributes.parse("ReadOnly|Hidden"), creationTime: t, lastWriteTime: t, filePermissionKey });
    const p = await f.getProperties();
    expect(p.fileAttributes).toContain("ReadOnly");
    expect(p.fileAttributes).toContain("Hidden");
    expect(p.fileCreatedOn?.toISOString()).toBe(t.toISOString());
    expect(p.fileLastWriteOn?.toISOString()).toBe(t.toISOString());
    expect(p.filePermissionKey).toBe(filePermissionKey);
    const later = new Date("2022-01-01T00:00:00.000Z");
    await f.setProperties({ fileAttributes: FileSystemAttributes.parse("None"), lastWriteTime: later, changeTime: later, filePermission: sddl });
    const q = await f.getProperties();
    expect(q.fileAttributes).not.toContain("ReadOnly");
    expect(q.fileLastWriteOn?.toISOString()).toBe(later.toISOString());
    expect(q.fileChangeOn?.toISOString()).toBe(later.toISOString());
    expect(q.fileCreatedOn?.toISOString()).toBe(t.toISOString());
    expect(q.filePermissionKey).toBe(filePermissionKey);
    await f.delete();
  });

  test("Put Range sets the last-write time to now unless the request says preserve", async () => {
    const f = share.getDirectoryClient("").getFileClient("lwt.txt");
    const t = new Date("2020-02-03T04:05:06.789Z");
    await f.create(4, { lastWriteTime: t });
    await f.uploadRange(Buffer.from("ab"), 0, 2, { fileLastWrittenMode: "Preserve" });
    expect((await f.getProperties()).fileLastWriteOn?.toISOString()).toBe(t.toISOString());
    await f.uploadRange(Buffer.from("cd"), 2, 2);
    expect((await f.getProperties()).fileLastWriteOn?.getTime()).toBeGreaterThan(t.getTime());
    await f.delete();
  });

  test("rename keeps the FileId, for files and directories; replace needs the flag", async () => {
    const d = share.getDirectoryClient("ren");
    await d.create();
    const f = d.getFileClient("a.txt");
    const id = (await f.create(3)).fileId;
    const { destinationFileClient } = await f.rename("ren/b.txt");
    expect((await destinationFileClient.getProperties()).fileId).toBe(id);
    expect(await f.exists()).toBe(false);
    await d.getFileClient("c.txt").create(1);
    expect(await failureOf(destinationFileClient.rename("ren/c.txt"))).toEqual({ status: 409, code: "ResourceAlreadyExists" });
    await destinationFileClient.rename("ren/c.txt", { replaceIfExists: true });
    // Fresh clients: with path-style URLs the SDK builds a rename's returned client without the
    // account segment, and a client made from that URL misparses its share name on its next rename.
    expect((await d.getFileClient("c.txt").getProperties()).fileId).toBe(id);
    expect(await d.getFileClient("b.txt").exists()).toBe(false);
    const dirId = (await d.getProperties()).fileId;
    await d.rename("ren-moved");
    const movedDir = share.getDirectoryClient("ren-moved");
    expect((await movedDir.getProperties()).fileId).toBe(dirId);
    const inside = movedDir.getFileClient("c.txt");
    expect((await inside.getProperties()).fileId).toBe(id);
    const sub = share.getDirectoryClient("ren-target");
    await sub.create();
    await inside.rename("ren-target/moved.txt");
    const p = await sub.getFileClient("moved.txt").getProperties();
    expect(p.fileId).toBe(id);
    expect(p.fileParentId).toBe((await sub.getProperties()).fileId);
    expect(await failureOf(share.getDirectoryClient("ren-target").rename("ren-target/inner"))).toMatchObject({ status: 400 });
  });

  test("list: prefix, include options, FileId on every entry, files and directories intermingled", async () => {
    const d = share.getDirectoryClient("listing");
    await d.create();
    await d.getDirectoryClient("b-dir").create();
    await d.getFileClient("a-file").create(3);
    await d.getFileClient("c-file").create(4);
    await d.getFileClient("other").create(0);
    const items = [];
    for await (const item of d.listFilesAndDirectories({ prefix: "", includeTimestamps: true, includeEtag: true, includeAttributes: true, includePermissionKey: true, includeExtendedInfo: true })) {
      items.push(item);
    }
    // The SDK yields a page's files first, then its directories.
    expect(items.map((i) => i.name)).toEqual(["a-file", "c-file", "other", "b-dir"]);
    for (const i of items) {
      expect(i.fileId).toMatch(/^\d+$/);
      expect(i.properties?.etag).toBeTruthy();
      expect(i.properties?.lastModified).toBeInstanceOf(Date);
      expect(i.attributes).toBeTruthy();
      expect(i.permissionKey).toBeTruthy();
    }
    expect(items.find((i) => i.name === "c-file")).toMatchObject({ kind: "file", properties: { contentLength: 4 } });
    expect(items.find((i) => i.name === "b-dir")).toMatchObject({ kind: "directory" });
    const pref = [];
    for await (const item of d.listFilesAndDirectories({ prefix: "c" })) pref.push(item.name);
    expect(pref).toEqual(["c-file"]);
  });

  test("auth: a bad key is 403 AuthenticationFailed; SAS works, expired or tampered SAS does not", async () => {
    const conn = (target as unknown as { emulator?: { connectionString: string } }).emulator?.connectionString ?? process.env.AFB_LIVE_FILES_CONNECTION_STRING ?? "";
    const badKey = conn.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.alloc(64, 1).toString("base64")}`);
    const bad = ShareServiceClient.fromConnectionString(badKey, { retryOptions: { maxTries: 1 } });
    expect(await failureOf(bad.getShareClient(share.name).getProperties())).toEqual({ status: 403, code: "AuthenticationFailed" });
    const f = share.getDirectoryClient("").getFileClient("sas.txt");
    await f.create(2);
    await f.uploadRange(Buffer.from("ok"), 0, 2);
    const sasUrl = await f.generateSasUrl({ permissions: FileSASPermissions.parse("r"), expiresOn: new Date(Date.now() + 3600_000) });
    expect((await new ShareFileClient(sasUrl, undefined, { retryOptions: { maxTries: 1 } }).downloadToBuffer()).toString()).toBe("ok");
    const expired = await f.generateSasUrl({ permissions: FileSASPermissions.parse("r"), startsOn: new Date(Date.now() - 7200_000), expiresOn: new Date(Date.now() - 3600_000) });
    expect(await failureOf(new ShareFileClient(expired, undefined, { retryOptions: { maxTries: 1 } }).downloadToBuffer())).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    const tampered = sasUrl.replace(/sig=([^&]+)/, (_m, s: string) => `sig=${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`);
    expect(await failureOf(new ShareFileClient(tampered, undefined, { retryOptions: { maxTries: 1 } }).downloadToBuffer())).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    const shareSas = await share.generateSasUrl({ permissions: ShareSASPermissions.parse("rl"), expiresOn: new Date(Date.now() + 3600_000) });
    const viaShareSas = new ShareClient(shareSas, undefined, { retryOptions: { maxTries: 1 } });
    const names: string[] = [];
    for await (const e of viaShareSas.getDirectoryClient("").listFilesAndDirectories({ prefix: "sas" })) names.push(e.name);
    expect(names).toEqual(["sas.txt"]);
    expect(await failureOf(viaShareSas.getDirectoryClient("").getFileClient("sas.txt").delete())).toMatchObject({ status: 403 });
    const accountSas = service.generateAccountSasUrl(new Date(Date.now() + 3600_000), AccountSASPermissions.parse("rl"), "sco");
    const viaAccountSas = new ShareServiceClient(accountSas, undefined, { retryOptions: { maxTries: 1 } });
    expect((await viaAccountSas.getShareClient(share.name).getDirectoryClient("").getFileClient("sas.txt").downloadToBuffer()).toString()).toBe("ok");
  });
});

async function streamToBuffer(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
