/**
 * Hostile names and hostile paths. Every name of the shared hostile set round-trips through the SDK
 * (as a directory and as a file: create, list, properties, content) on every target; on the emulator,
 * raw HTTP requests that try `..`, encoded dots and separators, backslashes, NUL, absolute paths and
 * planted symlinks never read or write outside the share folder.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join, relative } from "node:path";
import type { ShareClient } from "@azure/storage-file-share";
import { HOSTILE_NAMES, PATH_ESCAPE_ATTEMPTS, RAW_TARGET_ATTEMPTS, TRAILING_DOT_NAMES, XML_UNSAFE_NAMES } from "../../../src/local/files-emulator/hostile-names";
import { DEV_ACCOUNT_KEY } from "../../../src/local/files-emulator";
import { rawRequest, type RawTarget } from "./raw-http";
import { EmulatorTarget, targets, uniqueShare, type Target } from "./targets";

describe.each(targets())("hostile names through the SDK against $name", (target: Target) => {
  let share: ShareClient;
  let dotShare: ShareClient;

  beforeAll(async () => {
    await target.start();
    share = target.service().getShareClient(uniqueShare("names"));
    await share.create();
    dotShare = target.service({ allowTrailingDot: true }).getShareClient(share.name);
  });
  afterAll(async () => {
    await share?.deleteIfExists();
    await target.stop();
  });

  test.each([...HOSTILE_NAMES, ...XML_UNSAFE_NAMES].map((n) => [JSON.stringify(n).slice(0, 60), n]))("%s round-trips as a directory and a file", async (_label, name) => {
    const dir = share.getDirectoryClient(name);
    const dirId = (await dir.create()).fileId;
    const file = dir.getFileClient(name);
    const body = Buffer.from(`content of ${name}`, "utf8");
    await file.create(body.length);
    await file.uploadRange(body, 0, body.length);
    expect((await file.downloadToBuffer()).equals(body)).toBe(true);
    expect((await file.getProperties()).fileParentId).toBe(dirId);
    const inDir: string[] = [];
    for await (const e of dir.listFilesAndDirectories()) inDir.push(e.name);
    expect(inDir).toEqual([name]);
    const atRoot: string[] = [];
    for await (const e of share.getDirectoryClient("").listFilesAndDirectories({ prefix: name.slice(0, 20) })) atRoot.push(e.name);
    expect(atRoot).toContain(name);
  });

  test("trailing dots are kept with allowTrailingDot and trimmed without it", async () => {
    const root = dotShare.getDirectoryClient("");
    for (const name of TRAILING_DOT_NAMES) await root.getFileClient(name).create(1);
    const listed: string[] = [];
    for await (const e of root.listFilesAndDirectories({ prefix: "trailing-" })) listed.push(e.name);
    expect(listed.sort()).toEqual([...TRAILING_DOT_NAMES].sort());
    const trimmed = share.getDirectoryClient("").getFileClient("trailing-dot.");
    expect(await trimmed.exists()).toBe(false);
    await trimmed.create(2);
    expect((await share.getDirectoryClient("").getFileClient("trailing-dot").getProperties()).contentLength).toBe(2);
    expect((await dotShare.getDirectoryClient("").getFileClient("trailing-dot.").getProperties()).contentLength).toBe(1);
  });
});

/** Every file under `dir` (relative path -> content), skipping the share folder itself. */
function outsideState(dataDir: string, shareDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (p === shareDir || e.name === ".emulator") continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(relative(dataDir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dataDir);
  return out;
}

describe("path escape attempts over raw HTTP (emulator)", () => {
  const target = new EmulatorTarget();
  let raw: RawTarget;
  let shareName: string;
  let shareDir: string;

  beforeAll(async () => {
    await target.start();
    raw = { port: target.emulator.port, account: "devstoreaccount1", key: DEV_ACCOUNT_KEY };
    shareName = uniqueShare("escape");
    await target.service().getShareClient(shareName).create();
    await target.service().getShareClient(shareName).getDirectoryClient("dir").create();
    shareDir = join(target.dataDir, "devstoreaccount1", shareName);
    writeFileSync(join(target.dataDir, "outside.txt"), "secret at the data root");
    writeFileSync(join(target.dataDir, "devstoreaccount1", "outside.txt"), "secret in the account folder");
    mkdirSync(join(target.dataDir, "elsewhere"));
    writeFileSync(join(target.dataDir, "elsewhere", "outside.txt"), "secret elsewhere");
  });
  afterAll(() => target.stop());

  test.each(PATH_ESCAPE_ATTEMPTS.map((p) => [p]))("%s is refused for every verb and nothing outside changes", async (attempt) => {
    const before = outsideState(target.dataDir, shareDir);
    const base = `/devstoreaccount1/${shareName}${attempt}`;
    const tries: [string, string, Record<string, string>][] = [
      ["GET", base, {}],
      ["HEAD", base, {}],
      ["GET", `${base}?comp=rangelist`, {}],
      ["GET", `${base}?restype=directory&comp=list`, {}],
      ["PUT", base, { "x-ms-type": "file", "x-ms-content-length": "16" }],
      ["PUT", `${base}?restype=directory`, {}],
      ["PUT", `${base}?comp=range`, { "x-ms-write": "update", "x-ms-range": "bytes=0-3" }],
      ["DELETE", base, {}],
      ["PUT", `/devstoreaccount1/${shareName}/dir/renamed?comp=rename`, { "x-ms-file-rename-source": `http://127.0.0.1/devstoreaccount1/${shareName}${attempt}` }],
    ];
    for (const [method, path, headers] of tries) {
      const body = path.includes("comp=range") && !path.includes("rangelist") ? Buffer.from("evil") : undefined;
      const res = await rawRequest(raw, method, path, headers, body);
      expect({ method, path, status: res.status < 400 ? res.status : "refused" }).toEqual({ method, path, status: "refused" });
      if (method !== "HEAD") expect(res.headers["x-ms-error-code"]).toBeTruthy();
    }
    expect(outsideState(target.dataDir, shareDir)).toEqual(before);
  });

  test.each(RAW_TARGET_ATTEMPTS.map((p) => [p]))("request target %s is refused", async (attempt) => {
    const res = await rawRequest(raw, "GET", attempt);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  test("symlinks planted in the share folder are neither listed nor followed", async () => {
    symlinkSync(join(target.dataDir, "elsewhere"), join(shareDir, "dir", "link-dir"));
    symlinkSync(join(target.dataDir, "outside.txt"), join(shareDir, "dir", "link-file"));
    const before = outsideState(target.dataDir, shareDir);
    const dir = target.service().getShareClient(shareName).getDirectoryClient("dir");
    const names: string[] = [];
    for await (const e of dir.listFilesAndDirectories()) names.push(e.name);
    expect(names).not.toContain("link-dir");
    expect(names).not.toContain("link-file");
    expect(await dir.getFileClient("link-file").exists()).toBe(false);
    expect(await dir.getDirectoryClient("link-dir").getFileClient("outside.txt").exists()).toBe(false);
    await expect(dir.getFileClient("link-file").create(4)).rejects.toMatchObject({ statusCode: 409 });
    await expect(dir.getDirectoryClient("link-dir").getFileClient("new.txt").create(4)).rejects.toMatchObject({ statusCode: 404 });
    expect(outsideState(target.dataDir, shareDir)).toEqual(before);
    expect(statSync(join(target.dataDir, "elsewhere")).isDirectory()).toBe(true);
  });

  test("a correctly signed raw request inside the share works (the attack tests are not vacuous)", async () => {
    const created = await rawRequest(raw, "PUT", `/devstoreaccount1/${shareName}/dir/ok%20file.txt`, { "x-ms-type": "file", "x-ms-content-length": "3" });
    expect(created.status).toBe(201);
    const got = await rawRequest(raw, "HEAD", `/devstoreaccount1/${shareName}/dir/ok%20file.txt`);
    expect(got.status).toBe(200);
    expect(got.headers["content-length"]).toBe("3");
  });

  test("listing parameters: include is case-insensitive, maxresults is capped at 5,000 and must be positive", async () => {
    await rawRequest(raw, "PUT", `/devstoreaccount1/${shareName}/dir/listed.txt`, { "x-ms-type": "file", "x-ms-content-length": "1" });
    const base = `/devstoreaccount1/${shareName}/dir?restype=directory&comp=list`;
    const mixed = await rawRequest(raw, "GET", `${base}&include=timestamps,ETAG,Attributes,permissionkey`);
    expect(mixed.status).toBe(200);
    expect(mixed.body).toContain("<Etag>");
    expect(mixed.body).toContain("<PermissionKey>");
    expect(mixed.body).toContain("<Entries>");
    expect((await rawRequest(raw, "GET", `${base}&maxresults=9999`)).body).toContain("<MaxResults>5000</MaxResults>");
    const zero = await rawRequest(raw, "GET", `${base}&maxresults=0`);
    expect([zero.status, zero.headers["x-ms-error-code"]]).toEqual([400, "InvalidQueryParameterValue"]);
    const empty = await rawRequest(raw, "GET", `${base}&prefix=nothing-matches`);
    expect(empty.body).toContain("<Entries></Entries><NextMarker />");
  });

  test("errors carry x-ms-error-code and Azure's XML body; HEAD errors carry the header only", async () => {
    const missing = await rawRequest(raw, "GET", `/devstoreaccount1/${shareName}/dir/missing.txt`);
    expect(missing.status).toBe(404);
    expect(missing.headers["x-ms-error-code"]).toBe("ResourceNotFound");
    expect(missing.headers["content-type"]).toBe("application/xml");
    expect(missing.body).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?><Error><Code>ResourceNotFound<\/Code><Message>The specified resource does not exist\.\nRequestId:[0-9a-f-]+\nTime:[^<]+<\/Message><\/Error>$/);
    const head = await rawRequest(raw, "HEAD", `/devstoreaccount1/${shareName}/dir/missing.txt`);
    expect(head.status).toBe(404);
    expect(head.headers["x-ms-error-code"]).toBe("ResourceNotFound");
    expect(head.body).toBe("");
    const forged = await rawRequest({ ...raw, key: Buffer.alloc(64, 7).toString("base64") }, "GET", `/devstoreaccount1/${shareName}?restype=share`);
    expect(forged.status).toBe(403);
    expect(forged.headers["x-ms-error-code"]).toBe("AuthenticationFailed");
    expect(forged.body).toContain("<AuthenticationErrorDetail>");
    const anonymous = await new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: raw.port, path: `/devstoreaccount1/${shareName}?restype=share` }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(anonymous).toBe(403);
  });
});
