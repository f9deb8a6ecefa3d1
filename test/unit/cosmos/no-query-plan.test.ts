/**
 * withoutQueryPlan against the real QueryIterator of @azure/cosmos (no server: nothing is fetched).
 * The integration suite (test/integration/cosmos/node-index.test.ts) counts the requests on the wire.
 */
import { CosmosClient, type QueryIterator } from "@azure/cosmos";
import { QueryPlanSkippedError, withoutQueryPlan } from "../../../src/adapters/cosmos/no-query-plan";

const client = new CosmosClient({ endpoint: "https://127.0.0.1:1/", key: Buffer.alloc(64, 7).toString("base64") });
afterAll(() => client.dispose());

const iterator = (): QueryIterator<unknown> => client.database("d").container("c").items.query("SELECT * FROM c WHERE c.parentId = @p", { partitionKey: "p" });

test("the SDK's iterator still has the field the plan request depends on (an upgrade that drops it is seen here)", () => {
  const it = iterator() as unknown as Record<string, unknown>;
  expect("queryPlanPromise" in it).toBe(true);
  expect(it.queryPlanPromise).toBeUndefined();
});

test("sets the plan to an error naming why, so a query that needed one fails loudly", async () => {
  const it = withoutQueryPlan(iterator()) as unknown as { queryPlanPromise: Promise<unknown> };
  const plan = await it.queryPlanPromise;
  expect(plan).toBeInstanceOf(QueryPlanSkippedError);
  expect((plan as Error).message).toMatch(/single-partition query.*no-query-plan\.ts/);
});

test("leaves alone an object without the field, and a plan already under way", async () => {
  const bare = {} as unknown as QueryIterator<unknown>;
  expect(withoutQueryPlan(bare)).toEqual({});
  const started = Promise.resolve("a plan");
  const busy = { queryPlanPromise: started } as unknown as QueryIterator<unknown>;
  expect((withoutQueryPlan(busy) as unknown as { queryPlanPromise: unknown }).queryPlanPromise).toBe(started);
});
