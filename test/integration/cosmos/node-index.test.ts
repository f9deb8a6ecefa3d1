/**
 * The NodeIndex conformance suite against the Cosmos adapter on cosmosdb-server (real @azure/cosmos),
 * plus what only Cosmos has: the container's partition key and policy, and translated errors.
 */
import type { CosmosClient } from "@azure/cosmos";
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
