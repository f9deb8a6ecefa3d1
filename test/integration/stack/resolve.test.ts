/**
 * resolveEnvironment's three sources, in order: explicit settings (environment or local.settings.json),
 * a running `afb stack up` (stack.json + live pid + answering ports), an embedded stack whose data
 * persists under .afb/stack between commands. Descriptions never carry secrets.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCosmosClient } from "../../../src/adapters/cosmos/connect";
import { resolveEnvironment, startLocalStack, toProductSettings, writeStackFile } from "../../../src/local/stack";

jest.setTimeout(60_000);

const retryOptions = { maxTries: 1 };
const SECRET = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "afb-resolve-"));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

test("explicit settings from the environment win, and the description names them without values", async () => {
  const files = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${SECRET};EndpointSuffix=core.windows.net`;
  const resolved = await resolveEnvironment({ cwd, env: { AFB_FILES: files, AFB_TASK_HUB: "hub1" } });
  expect(resolved.source).toBe("explicit");
  expect(resolved.description).toBe("explicit settings (AFB_FILES)");
  expect(resolved.settings).toEqual({ AFB_FILES: files, AFB_TASK_HUB: "hub1" });
  expect(resolved.lookup("AFB_FILES")).toBe(files);
  expect(existsSync(join(cwd, ".afb"))).toBe(false);
  await resolved.stop();
});

test("explicit settings from local.settings.json Values count too", async () => {
  writeFileSync(join(cwd, "local.settings.json"), JSON.stringify({ Values: { AFB_COSMOS__accountEndpoint: "https://acct.documents.azure.com:443/", AFB_COSMOS__key: SECRET } }));
  const resolved = await resolveEnvironment({ cwd, env: {} });
  expect(resolved.source).toBe("explicit");
  expect(resolved.description).toBe("explicit settings (AFB_COSMOS__accountEndpoint)");
  expect(resolved.description).not.toContain(SECRET);
  expect(resolved.settings.AFB_COSMOS__key).toBe(SECRET);
});

test("a running stack announced in .afb/stack is used while its process lives and its ports answer", async () => {
  const dataDir = join(cwd, ".afb", "stack");
  const services = ["blob", "queue", "table", "cosmos"] as const;
  const stack = await startLocalStack({ dataDir, services: [...services], ports: { blob: 0, queue: 0, table: 0, cosmos: 0 }, inMemory: true });
  try {
    writeStackFile(dataDir, { pid: process.pid, settings: stack.settings });
    const resolved = await resolveEnvironment({ cwd, env: { AFB_REPOSITORY_CONTAINER: "mine", AFB_COSMOS__key: SECRET } });
    expect(resolved.source).toBe("running");
    expect(resolved.description).toBe(`running stack at ${join(".afb", "stack")} (pid ${process.pid})`);
    const expected = toProductSettings(stack.settings);
    expect(resolved.settings).toEqual({ ...expected, AFB_REPOSITORY_CONTAINER: "mine" });
    await BlobServiceClient.fromConnectionString(resolved.settings.AFB_REPOSITORY, { retryOptions }).getContainerClient("running").create();

    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeStackFile(dataDir, { pid: dead, settings: stack.settings });
    const staleResolved = await resolveEnvironment({ cwd, env: {}, services: ["blob"] });
    try {
      expect(staleResolved.source).toBe("embedded");
    } finally {
      await staleResolved.stop();
    }
  } finally {
    await stack.stop();
  }
});

test("a stack file whose ports no longer answer is ignored", async () => {
  const dataDir = join(cwd, ".afb", "stack");
  const stack = await startLocalStack({ dataDir, services: ["blob"], ports: { blob: 0 }, inMemory: true });
  writeStackFile(dataDir, { pid: process.pid, settings: stack.settings });
  await stack.stop();
  const resolved = await resolveEnvironment({ cwd, env: {}, services: ["blob"] });
  try {
    expect(resolved.source).toBe("embedded");
  } finally {
    await resolved.stop();
  }
});

test("with nothing configured an embedded stack starts, and its data persists between commands", async () => {
  const first = await resolveEnvironment({ cwd, env: {} });
  try {
    expect(first.source).toBe("embedded");
    expect(first.description).toBe(`embedded stack (${join(".afb", "stack")})`);
    expect(Object.keys(first.settings).sort()).toEqual(["AFB_COSMOS__accountEndpoint", "AFB_COSMOS__caCert", "AFB_COSMOS__key", "AFB_FILES", "AFB_REPOSITORY"]);
    const container = BlobServiceClient.fromConnectionString(first.settings.AFB_REPOSITORY, { retryOptions }).getContainerClient("kept");
    await container.create();
    await container.getBlockBlobClient("b").upload("persisted", 9);
    const cosmos = createCosmosClient(first.settings);
    try {
      await cosmos.databases.createIfNotExists({ id: "kept" });
    } finally {
      cosmos.dispose();
    }
    expect(existsSync(join(cwd, ".afb", "stack", "stack.lock"))).toBe(true);
  } finally {
    await first.stop();
  }
  expect(existsSync(join(cwd, ".afb", "stack", "stack.lock"))).toBe(false);

  const second = await resolveEnvironment({ cwd, env: {}, services: ["blob", "cosmos"] });
  try {
    const blob = BlobServiceClient.fromConnectionString(second.settings.AFB_REPOSITORY, { retryOptions }).getContainerClient("kept").getBlobClient("b");
    expect((await blob.downloadToBuffer()).toString()).toBe("persisted");
    const cosmos = createCosmosClient(second.lookup);
    try {
      const { resource } = await cosmos.database("kept").read();
      expect(resource?.id).toBe("kept");
    } finally {
      cosmos.dispose();
    }
  } finally {
    await second.stop();
  }
});
