/**
 * The Cosmos part of a persisted stack survives a clean restart (databases, container definitions,
 * items), the snapshot is consumed on start (so a crash cannot bring back stale data), a corrupt
 * snapshot fails the start with the file's name, and in-memory stacks write nothing.
 */
import type { CosmosClient } from "@azure/cosmos";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCosmosClient } from "../../../src/adapters/cosmos/connect";
import { startLocalStack, toProductSettings, type LocalStack } from "../../../src/local/stack";

jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "afb-cosmos-persist-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const snapshot = () => join(dir, "cosmos", "snapshot.ndjson");
const start = (inMemory = false) => startLocalStack({ dataDir: dir, services: ["cosmos"], ports: { cosmos: 0 }, inMemory });

async function withClient<T>(stack: LocalStack<"cosmos">, use: (client: CosmosClient) => Promise<T>): Promise<T> {
  const client = createCosmosClient(toProductSettings(stack.settings));
  try {
    return await use(client);
  } finally {
    client.dispose();
  }
}

test("databases, containers and items survive a clean restart", async () => {
  const first = await start();
  await withClient(first, async (client) => {
    const { database } = await client.databases.createIfNotExists({ id: "afb" });
    const { container } = await database.containers.createIfNotExists({ id: "nodes", partitionKey: { paths: ["/share"] } });
    for (let i = 0; i < 1500; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => container.items.create({ id: `n${i + j}`, share: `s${(i + j) % 3}`, size: i + j })));
    }
    const other = (await client.databases.createIfNotExists({ id: "other" })).database;
    await (await other.containers.createIfNotExists({ id: "empty", partitionKey: { paths: ["/pk"] } })).container.read();
  });
  await first.stop();
  expect(existsSync(snapshot())).toBe(true);

  const second = await start();
  try {
    expect(existsSync(snapshot())).toBe(false);
    await withClient(second, async (client) => {
      const nodes = client.database("afb").container("nodes");
      const { resources: count } = await nodes.items.query<number>("SELECT VALUE COUNT(1) FROM c").fetchAll();
      expect(count).toEqual([1500]);
      const { resource } = await nodes.item("n1499", "s2").read<{ size: number }>();
      expect(resource?.size).toBe(1499);
      const { resource: def } = await nodes.read();
      expect(def?.partitionKey?.paths).toEqual(["/share"]);
      const { resources: dbs } = await client.databases.readAll().fetchAll();
      expect(dbs.map((d) => d.id).sort()).toEqual(["afb", "other"]);
      const { resources: containers } = await client.database("other").containers.readAll().fetchAll();
      expect(containers.map((c) => c.id)).toEqual(["empty"]);
    });
  } finally {
    await second.stop();
  }
});

test("a corrupt snapshot fails the start by the file's name and leaves the port free", async () => {
  const first = await start();
  const port = first.ports.cosmos;
  await first.stop();
  writeFileSync(snapshot(), "{not json\n");
  await expect(startLocalStack({ dataDir: dir, services: ["cosmos"], ports: { cosmos: port } })).rejects.toThrow(
    /cannot load the Cosmos snapshot .*snapshot\.ndjson .*delete that file/,
  );
  rmSync(snapshot());
  const again = await startLocalStack({ dataDir: dir, services: ["cosmos"], ports: { cosmos: port } });
  await again.stop();
});

test("an in-memory stack writes no snapshot", async () => {
  const stack = await start(true);
  await withClient(stack, (client) => client.databases.createIfNotExists({ id: "gone" }));
  await stack.stop();
  expect(existsSync(snapshot())).toBe(false);
});
