/**
 * The NodeIndex conformance suite against the Cosmos adapter on cosmosdb-server (real @azure/cosmos),
 * plus what only Cosmos has: the container's partition key and policy, and translated errors.
 */
import { CosmosClient, type CosmosClientOptions, type PluginConfig } from "@azure/cosmos";
import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import { CosmosNodeIndex } from "../../../src/adapters/cosmos/node-index";
import { IndexUnavailableError } from "../../../src/core/ports/node-index";
import { createCosmosClient } from "../../../src/adapters/cosmos/connect";
import { startTestStack, testCosmosClient, type TestStack } from "../../helpers/stack";
import { nodeIndexConformance } from "../../unit/scan/node-index.conformance";

let stack: TestStack<"cosmos">;
let client: CosmosClient;

beforeAll(async () => {
  stack = await startTestStack({ services: ["cosmos"] });
  client = testCosmosClient(stack);
});
afterAll(async () => {
  client?.dispose();
  await stack?.stop();
});

nodeIndexConformance("cosmos", async () => ({ index: await CosmosNodeIndex.open({ client, database: "conformance", pageSize: 500 }), close: async () => undefined }));

test("the container is partitioned by /parentId and opening it twice is harmless", async () => {
  await CosmosNodeIndex.open({ client, database: "twice" });
  const again = await CosmosNodeIndex.open({ client, database: "twice" });
  expect(again.description).toBe("Cosmos DB node index twice/nodes");
  const { resource } = await client.database("twice").container("nodes").read();
  expect(resource?.partitionKey?.paths).toEqual(["/parentId"]);
});

test("an unreachable endpoint is an IndexUnavailableError without the key in it", async () => {
  const key = stack.productSettings.AFB_COSMOS__key as string;
  const dead = createCosmosClient({ ...stack.productSettings, AFB_COSMOS__accountEndpoint: "https://127.0.0.1:1/" });
  const err = await CosmosNodeIndex.open({ client: dead, database: "x" }).catch((e: unknown) => e);
  dead.dispose();
  expect(err).toBeInstanceOf(IndexUnavailableError);
  expect((err as Error).message).toMatch(/Cosmos DB node index: opening container x\/nodes/);
  expect((err as Error).message).not.toContain(key);
});

describe("a container made before the sealed-children query (no /t in its indexing policy)", () => {
  const OLD_POLICY = { indexingMode: "consistent" as const, automatic: true, includedPaths: [{ path: "/parentId/?" }], excludedPaths: [{ path: "/*" }, { path: '/"_etag"/?' }] };

  test("gets /t added on open, keeps its other settings and its documents, and answers the query", async () => {
    const { database } = await client.databases.createIfNotExists({ id: "old-policy" });
    await database.containers.createIfNotExists({ id: "nodes", partitionKey: { paths: ["/parentId"] }, indexingPolicy: OLD_POLICY, defaultTtl: -1 });
    expect((await database.container("nodes").read()).resource?.indexingPolicy?.includedPaths).toEqual([{ path: "/parentId/?" }]);
    const first = await CosmosNodeIndex.open({ client, database: "old-policy" });
    const dir = { parentFileId: "7", fileId: "8", name: "docs", kind: "dir" as const, size: 0, lastWriteTime: 1, metaHash: 5, treeId: "a".repeat(64) };
    const file = { parentFileId: "7", fileId: "9", name: "a.txt", kind: "file" as const, size: 3, lastWriteTime: 1, metaHash: 5, fingerprint: "1".repeat(16) };
    await first.write("share-old", [{ op: "upsert", node: dir }, { op: "upsert", node: file }]);

    // Opening again changes nothing (the definition keeps its etag) and warns of nothing.
    const upgraded = (await client.database("old-policy").container("nodes").read()).resource;
    const warnings: string[] = [];
    const { ensureNodesContainer } = await import("../../../src/adapters/cosmos/container");
    await ensureNodesContainer(client, "old-policy", "nodes", (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    const { resource } = await client.database("old-policy").container("nodes").read();
    expect(resource?._etag).toBe(upgraded?._etag);
    expect(resource?.indexingPolicy?.includedPaths).toEqual([{ path: "/parentId/?" }, { path: "/t/?" }]);
    expect(resource?.indexingPolicy?.excludedPaths).toEqual(OLD_POLICY.excludedPaths);
    expect(resource?.partitionKey?.paths).toEqual(["/parentId"]);
    expect(resource?.defaultTtl).toBe(-1);

    const index = await CosmosNodeIndex.open({ client, database: "old-policy" });
    const sealed = [];
    for await (const r of index.listSealedChildren!("share-old", "7")) sealed.push(r.name);
    expect(sealed).toEqual(["docs"]);
    const all = [];
    for await (const r of index.listChildren("share-old", "7")) all.push(r.name);
    expect(all.sort()).toEqual(["a.txt", "docs"]);
  });
});

describe("single-partition queries send no query-plan request", () => {
  test("listChildren and listSealedChildren: one request per page, the same records", async () => {
    const settings = stack.productSettings;
    const seen: Array<{ plan: boolean; query: boolean }> = [];
    const plugins: PluginConfig[] = [
      {
        on: "request",
        plugin: async (context, _node, next) => {
          const h = context.headers ?? {};
          seen.push({ plan: String(h["x-ms-cosmos-is-query-plan-request"] ?? "").toLowerCase() === "true", query: String(h["x-ms-documentdb-isquery"] ?? "").toLowerCase() === "true" });
          return next(context);
        },
      },
    ];
    // `plugins` is the SDK's request hook, left out of its public options type.
    const options = {
      endpoint: settings.AFB_COSMOS__accountEndpoint as string,
      key: settings.AFB_COSMOS__key as string,
      agent: new Agent({ ca: readFileSync(settings.AFB_COSMOS__caCert as string) }),
      plugins,
    };
    const counted = new CosmosClient(options as CosmosClientOptions);
    try {
      const index = await CosmosNodeIndex.open({ client: counted, database: "no-plan", pageSize: 2 });
      const node = (fileId: string, kind: "file" | "dir") => ({ parentFileId: "3", fileId, name: `n${fileId}`, kind, size: 0, lastWriteTime: 1, metaHash: 2, ...(kind === "dir" ? { treeId: "b".repeat(64) } : {}) });
      await index.write("share-np", [{ op: "upsert", node: node("10", "dir") }, { op: "upsert", node: node("11", "file") }, { op: "upsert", node: node("12", "file") }, { op: "upsert", node: node("13", "dir") }]);
      seen.length = 0;
      const children: string[] = [];
      for await (const r of index.listChildren("share-np", "3")) children.push(r.fileId);
      const sealed: string[] = [];
      for await (const r of index.listSealedChildren!("share-np", "3")) sealed.push(r.fileId);
      expect(children.sort()).toEqual(["10", "11", "12", "13"]);
      expect(sealed.sort()).toEqual(["10", "13"]);
      expect(seen.filter((s) => s.plan)).toEqual([]);
      // Pages of two: the four children take two query requests (maybe a third, empty), the two sealed ones one or two.
      const queries = seen.filter((s) => s.query).length;
      expect(queries).toBeGreaterThanOrEqual(3);
      expect(queries).toBeLessThanOrEqual(5);
    } finally {
      counted.dispose();
    }
  });
});
