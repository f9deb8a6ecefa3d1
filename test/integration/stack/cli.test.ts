/**
 * `afb stack up` as users run it: the compiled CLI in a child process. It prints exactly one JSON line
 * with --json, the real SDKs work against every endpoint it prints, it announces itself in
 * DIR/stack.json while running, SIGTERM stops it with exit 0, and a busy port fails clearly.
 */
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { ShareServiceClient } from "@azure/storage-file-share";
import { QueueServiceClient } from "@azure/storage-queue";
import { isAscii } from "node:buffer";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCosmosClient } from "../../../src/adapters/cosmos/connect";
import { toProductSettings, type StackSettings } from "../../../src/local/stack";
import { buildCli, type BuiltCli } from "./build-cli";

// jest's testTimeout is a global option, so the integration project's value does not reach this file.
jest.setTimeout(60_000);

const retryOptions = { maxTries: 1 };
const EPHEMERAL = ["--blob-port", "0", "--queue-port", "0", "--table-port", "0", "--files-port", "0", "--cosmos-port", "0"];

let cli: BuiltCli;
let work: string;

beforeAll(() => {
  cli = buildCli();
  work = mkdtempSync(join(tmpdir(), "afb-cli-stack-"));
});
afterAll(() => {
  cli?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function run(args: readonly string[], extraEnv: Record<string, string> = {}): Run {
  // The code cache goes to the test's folder, not the user's ~/.cache.
  const env = { ...process.env, AFB_CODE_CACHE_DIR: join(work, "code-cache"), ...extraEnv };
  const child = spawn(process.execPath, [cli.bin, ...args], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until stdout holds a full line (or the process ends). */
async function firstLine(r: Run): Promise<string> {
  for (;;) {
    const nl = r.stdout().indexOf("\n");
    if (nl >= 0) return r.stdout().slice(0, nl);
    const ended = await Promise.race([r.exited.then(() => true), new Promise<false>((res) => setTimeout(() => res(false), 50))]);
    if (ended) throw new Error(`afb exited before printing; stderr: ${r.stderr()}`);
  }
}

test("afb --help lists the stack command, and leaves V8's compiled code of the bundle for the next start", async () => {
  // ASCII, so that bin/afb.js decodes it as Latin-1 (scripts/bundle-cli.js escapes the rest).
  expect(isAscii(readFileSync(join(cli.bin, "..", "..", "dist", "afb.js")))).toBe(true);
  const r = run(["--help"]);
  expect(await r.exited).toBe(0);
  expect(r.stdout()).toMatch(/stack/);
  // Node 20: our own cache file per command; Node 22.1+: Node's compile cache folder.
  const cached = [join(work, "code-cache", "v8"), join(work, "code-cache", "node")].filter((d) => existsSync(d) && readdirSync(d).length > 0);
  expect(cached).toHaveLength(1);
  const again = run(["--help"]);
  expect(await again.exited).toBe(0);
  expect(again.stdout()).toBe(r.stdout());
});

test("stack up --json prints one JSON line, serves every endpoint it prints, and stops on SIGTERM with exit 0", async () => {
  const dataDir = join(work, "served");
  const r = run(["stack", "up", "--json", "--data", dataDir, ...EPHEMERAL]);
  try {
    const settings = JSON.parse(await firstLine(r)) as StackSettings;
    expect(Object.keys(settings).sort()).toEqual(["blob", "cosmos", "files", "queue", "table"]);
    expect(Object.keys(settings.cosmos).sort()).toEqual(["caCert", "endpoint", "key"]);
    expect(settings.cosmos.caCert).toBe(join(dataDir, "cosmos", "cert.pem"));

    const announced = JSON.parse(readFileSync(join(dataDir, "stack.json"), "utf8")) as { pid: number };
    expect(announced.pid).toBe(r.child.pid);

    await BlobServiceClient.fromConnectionString(settings.blob, { retryOptions }).getContainerClient("cli").create();
    await QueueServiceClient.fromConnectionString(settings.queue, { retryOptions }).getQueueClient("cli").create();
    await TableClient.fromConnectionString(settings.table, "cli", { allowInsecureConnection: true }).createTable();
    const share = ShareServiceClient.fromConnectionString(settings.files, { retryOptions }).getShareClient("cli");
    await share.create();
    await share.rootDirectoryClient.getFileClient("f.txt").uploadData(Buffer.from("x"));
    const cosmos = createCosmosClient(toProductSettings(settings));
    try {
      const { database } = await cosmos.databases.createIfNotExists({ id: "cli" });
      const { container } = await database.containers.createIfNotExists({ id: "c", partitionKey: { paths: ["/pk"] } });
      await container.items.create({ id: "1", pk: "p" });
      expect((await container.items.readAll().fetchAll()).resources.map((i) => i.id)).toEqual(["1"]);
    } finally {
      cosmos.dispose();
    }

    // The bundle backs up through every service it talks to, without loading undici (its FormData
    // probes are compiled out: scripts/bundle-cli.js).
    const source = join(work, "tiny");
    mkdirSync(join(source, "sub"), { recursive: true });
    writeFileSync(join(source, "a.txt"), "hello");
    writeFileSync(join(source, "sub", "b.txt"), "world");
    const probe = join(work, "undici-probe.js");
    writeFileSync(probe, `process.on("exit", () => process.stderr.write("undici loaded: " + process.moduleLoadList.some((m) => m.includes("undici")) + "\\n"));`);
    const backup = run(["backup", "--dir", source, "--json"], { ...toProductSettings(settings), AFB_REPOSITORY_CONTAINER: "cli-backup", AFB_COSMOS_DATABASE: "cli-backup", NODE_OPTIONS: `--require ${probe}` });
    expect(await backup.exited).toBe(0);
    expect(JSON.parse(backup.stdout())).toMatchObject({ files: 2, bytesNew: 10 });
    expect(backup.stderr()).toMatch(/undici loaded: false/);
    // The cache the first backup wrote is used, not rewritten: it carries the V8 flags the backup
    // runs under (its GC pacing is set before the bundle is compiled).
    const cacheState = () => {
      const files: Record<string, number> = {};
      for (const sub of ["v8", "node"]) {
        const dir = join(work, "code-cache", sub);
        if (existsSync(dir)) for (const f of readdirSync(dir, { recursive: true }) as string[]) files[`${sub}/${f}`] = statSync(join(dir, f)).mtimeMs;
      }
      return files;
    };
    const written = cacheState();
    expect(Object.keys(written).length).toBeGreaterThan(0);
    const incremental = run(["backup", "--dir", source, "--json"], { ...toProductSettings(settings), AFB_REPOSITORY_CONTAINER: "cli-backup", AFB_COSMOS_DATABASE: "cli-backup", NODE_OPTIONS: `--require ${probe}` });
    expect(await incremental.exited).toBe(0);
    expect(JSON.parse(incremental.stdout())).toMatchObject({ bytesRead: 0 });
    expect(cacheState()).toEqual(written);
  } finally {
    r.child.kill("SIGTERM");
  }
  expect(await r.exited).toBe(0);
  expect(r.stdout().split("\n").filter((l) => l !== "")).toHaveLength(1);
  expect(r.stderr()).toMatch(/local stack stopped/);
  expect(r.stderr()).not.toMatch(/AccountKey=|C2y6yDjf5/);
  expect(existsSync(join(dataDir, "stack.json"))).toBe(false);
});

test("stack up prints export lines for the product's settings and an endpoint line per service", async () => {
  const r = run(["stack", "up", "--data", join(work, "human"), ...EPHEMERAL]);
  try {
    await firstLine(r);
    while (!/# cosmos/.test(r.stdout())) await new Promise((res) => setTimeout(res, 20));
  } finally {
    r.child.kill("SIGINT");
  }
  expect(await r.exited).toBe(0);
  const out = r.stdout();
  for (const name of ["AFB_FILES", "AFB_REPOSITORY", "AFB_COSMOS__accountEndpoint", "AFB_COSMOS__key", "AFB_COSMOS__caCert"]) {
    expect(out).toMatch(new RegExp(`^export ${name}='[^']+'$`, "m"));
  }
  for (const service of ["blob", "queue", "table", "files", "cosmos"]) expect(out).toMatch(new RegExp(`^# ${service} +https?://127\\.0\\.0\\.1:\\d+`, "m"));
});

test("a busy port fails with an error naming the port and the service", async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const r = run(["stack", "up", "--json", "--data", join(work, "busy"), ...EPHEMERAL, "--queue-port", String(port)]);
    expect(await r.exited).toBe(1);
    expect(r.stdout()).toBe("");
    expect(r.stderr()).toContain(`port ${port}`);
    expect(r.stderr()).toContain("Azurite queue");
    expect(existsSync(join(work, "busy", "stack.json"))).toBe(false);
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test("a malformed port option is rejected by name", async () => {
  const r = run(["stack", "up", "--cosmos-port", "eighty"]);
  expect(await r.exited).not.toBe(0);
  expect(r.stderr()).toMatch(/--cosmos-port must be a port number/);
});
