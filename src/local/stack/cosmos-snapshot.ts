/**
 * Gives the in-memory cosmosdb-server a life across restarts: on a clean stop every database,
 * container definition and item is written to DIR/cosmos/snapshot.ndjson through the Cosmos API; on
 * the next start they are loaded back and the snapshot file is deleted. Guarantees: the snapshot is
 * written atomically (temp file + rename), and it exists only between a clean stop and the next start,
 * so a stack that crashed comes back with an EMPTY Cosmos account rather than a stale one (an empty
 * node index costs a full rescan; a stale one could hide changes). Not guaranteed: item system
 * properties (_etag, _ts, _rid) survive; they are new after a restore.
 */
import type { Container, ContainerDefinition, CosmosClient, CreateOperationInput, ItemDefinition, JSONObject, PartitionKey } from "@azure/cosmos";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { Agent } from "node:https";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const SNAPSHOT_FILE = "snapshot.ndjson";

/** One line of the snapshot: a database, then its containers, each followed by its items. */
type SnapshotLine = { database: string } | { container: ContainerDefinition } | { item: ItemDefinition };

const PAGE = 1000;
// cosmosdb-server re-reads and sorts the whole container for every page, so fewer pages are much faster.
const READ_PAGE = 20000;
const BATCH = 100;
const BATCH_CONCURRENCY = 8;
const SYSTEM_PROPERTIES = ["_rid", "_self", "_etag", "_ts", "_attachments", "_docs", "_sprocs", "_triggers", "_udfs", "_conflicts"];

export interface CosmosAccess {
  readonly endpoint: string;
  readonly key: string;
  readonly caCert: string;
}

async function withClient<T>(access: CosmosAccess, use: (client: CosmosClient) => Promise<T>): Promise<T> {
  const { CosmosClient } = await import("@azure/cosmos");
  const agent = new Agent({ ca: readFileSync(access.caCert), keepAlive: true });
  const client = new CosmosClient({ endpoint: access.endpoint, key: access.key, agent });
  try {
    return await use(client);
  } finally {
    client.dispose();
    agent.destroy();
  }
}

function withoutSystemProperties<T extends object>(resource: T): T {
  const copy = { ...resource } as Record<string, unknown>;
  for (const p of SYSTEM_PROPERTIES) delete copy[p];
  return copy as unknown as T;
}

/** The item's partition key value for the container's key paths; undefined when the item lacks one. */
function partitionKeyOf(item: ItemDefinition, def: ContainerDefinition): PartitionKey | undefined {
  const values = (def.partitionKey?.paths ?? []).map((path) => {
    let value: unknown = item;
    for (const segment of path.split("/").filter((p) => p !== "")) {
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[segment.replace(/^"|"$/g, "")] : undefined;
    }
    return value;
  });
  if (values.length === 0 || values.some((v) => v === undefined || (v !== null && typeof v === "object"))) return undefined;
  return (values.length === 1 ? values[0] : values) as PartitionKey;
}

/**
 * Creates the items with transactional batches of up to 100 items that share a partition key value, 8
 * batches at a time (the fastest path cosmosdb-server offers); items without a partition key value
 * are created one by one.
 */
async function createAll(target: Container, def: ContainerDefinition, items: readonly ItemDefinition[]): Promise<void> {
  const groups = new Map<string, { key: PartitionKey; items: ItemDefinition[] }>();
  for (const item of items) {
    const key = partitionKeyOf(item, def);
    if (key === undefined) {
      await target.items.create(item);
      continue;
    }
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, items: [] };
    group.items.push(item);
    groups.set(id, group);
  }
  const batches: { key: PartitionKey; items: ItemDefinition[] }[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.items.length; i += BATCH) batches.push({ key: g.key, items: g.items.slice(i, i + BATCH) });
  }
  for (let i = 0; i < batches.length; i += BATCH_CONCURRENCY) {
    await Promise.all(
      batches.slice(i, i + BATCH_CONCURRENCY).map(async (b) => {
        const ops: CreateOperationInput[] = b.items.map((item) => ({ operationType: "Create", resourceBody: item as JSONObject }));
        const response = await target.items.batch(ops, b.key);
        const failed = (response.result ?? []).find((r) => r.statusCode >= 400);
        if ((response.code ?? 200) >= 400 || failed !== undefined || (response.result ?? []).length !== ops.length) {
          throw new Error(`restoring container ${def.id} failed with status ${failed?.statusCode ?? response.code}`);
        }
      }),
    );
  }
}

/** Writes every database, container and item to DIR/snapshot.ndjson (replacing an older snapshot). */
export async function saveCosmosSnapshot(access: CosmosAccess, dir: string): Promise<void> {
  const path = join(dir, SNAPSHOT_FILE);
  const tmp = `${path}.tmp`;
  const file = await open(tmp, "w", 0o600);
  const write = (lines: SnapshotLine[]) => (lines.length === 0 ? Promise.resolve() : file.write(lines.map((l) => `${JSON.stringify(l)}\n`).join("")));
  try {
    await withClient(access, async (client) => {
      for (const db of (await client.databases.readAll().fetchAll()).resources) {
        await write([{ database: db.id }]);
        const database = client.database(db.id);
        for (const def of (await database.containers.readAll().fetchAll()).resources) {
          await write([{ container: withoutSystemProperties(def) }]);
          const pages = database.container(def.id).items.readAll({ maxItemCount: READ_PAGE });
          while (pages.hasMoreResults()) {
            const { resources } = await pages.fetchNext();
            await write(resources.map((item) => ({ item: withoutSystemProperties(item) })));
          }
        }
      }
    });
  } catch (err) {
    await file.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await file.sync();
  await file.close();
  await rename(tmp, path);
}

/** Loads DIR/snapshot.ndjson into the server, then deletes it; returns the number of items restored. */
export async function restoreCosmosSnapshot(access: CosmosAccess, dir: string): Promise<number> {
  const path = join(dir, SNAPSHOT_FILE);
  if (!existsSync(path)) return 0;
  let restored = 0;
  await withClient(access, async (client) => {
    let database: string | undefined;
    let container: (ContainerDefinition & { id: string }) | undefined;
    let pending: ItemDefinition[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      if (database === undefined || container === undefined) throw new Error(`${path}: items before their container`);
      const target = client.database(database).container(container.id);
      const batch = pending;
      pending = [];
      await createAll(target, container, batch);
      restored += batch.length;
    };
    const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
    for await (const text of lines) {
      if (text.trim() === "") continue;
      const line = JSON.parse(text) as SnapshotLine;
      if ("item" in line) {
        pending.push(line.item);
        if (pending.length >= PAGE) await flush();
        continue;
      }
      await flush();
      if ("database" in line) {
        database = line.database;
        await client.databases.createIfNotExists({ id: database });
      } else {
        const def = line.container;
        if (database === undefined) throw new Error(`${path}: a container before its database`);
        if (typeof def.id !== "string") throw new Error(`${path}: a container without an id`);
        container = { ...def, id: def.id };
        await client.database(database).containers.createIfNotExists(line.container);
      }
    }
    await flush();
  });
  await rm(path, { force: true });
  return restored;
}
