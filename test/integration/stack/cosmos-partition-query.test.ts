/**
 * The local stack's single-partition query path (cosmos-partition-query.ts): through the real
 * @azure/cosmos SDK, a query naming one partition returns exactly what cosmosdb-server's full scan
 * returns (documents, order, pages), and only that query shape is narrowed.
 */
import type { Container, CosmosClient } from "@azure/cosmos";
import { partitionParameter } from "../../../src/local/stack/cosmos-partition-query";
import { startTestStack, testCosmosClient, type TestStack } from "../../helpers/stack";

const LIST = "SELECT c.id, c.parentId, c.n FROM c WHERE c.parentId = @pk";
// The same filter after a tautology: not the narrowed shape, so cosmosdb-server scans every document.
const LIST_FULL_SCAN = "SELECT c.id, c.parentId, c.n FROM c WHERE c.n >= 0 AND c.parentId = @pk";
// A narrowed conjunction (as listSealedChildren's), and the same filter in an order that is not.
const SOME = "SELECT c.id, c.parentId, c.n FROM c WHERE c.parentId = @pk AND c.n >= 30";
const SOME_FULL_SCAN = "SELECT c.id, c.parentId, c.n FROM c WHERE c.n >= 30 AND c.parentId = @pk";

let stack: TestStack<"cosmos">;
let client: CosmosClient;
let container: Container;

beforeAll(async () => {
  stack = await startTestStack({ services: ["cosmos"] });
  client = testCosmosClient(stack);
  const { database } = await client.databases.createIfNotExists({ id: "partition-query" });
  ({ container } = await database.containers.createIfNotExists({ id: "nodes", partitionKey: { paths: ["/parentId"] } }));
  // Interleaved partitions, so that insertion order differs from any per-partition order; the same id
  // in two partitions; one document replaced.
  for (let i = 0; i < 60; i++) await container.items.create({ id: `n${i % 25}`, parentId: `p${i % 3}`, n: i });
  await container.items.upsert({ id: "n1", parentId: "p1", n: 1000 });
}, 60_000);
afterAll(async () => {
  client?.dispose();
  await stack?.stop();
});

async function pages(query: string, pk: string, pageSize: number): Promise<unknown[][]> {
  const it = container.items.query({ query, parameters: [{ name: "@pk", value: pk }] }, { partitionKey: pk, maxItemCount: pageSize });
  const out: unknown[][] = [];
  while (it.hasMoreResults()) {
    const page = await it.fetchNext();
    if (page.resources.length > 0) out.push(page.resources);
  }
  return out;
}

test("the one-partition query returns the full scan's documents, order and pages", async () => {
  for (const pk of ["p0", "p1", "p2", "missing"]) {
    for (const size of [7, 1000]) expect(await pages(LIST, pk, size)).toEqual(await pages(LIST_FULL_SCAN, pk, size));
    expect(await pages(SOME, pk, 7)).toEqual(await pages(SOME_FULL_SCAN, pk, 7));
  }
  expect((await pages(SOME, "p0", 1000)).flat().length).toBeGreaterThan(0);
  const p1 = (await pages(LIST, "p1", 1000)).flat() as { id: string; n: number }[];
  expect(p1).toHaveLength(20);
  expect(p1.find((d) => d.id === "n1")?.n).toBe(1000);
});

test("after each create, replace or delete between queries, the one-partition query still equals the full scan", async () => {
  const same = async () => {
    for (const pk of ["p0", "p1", "p2", "p3"]) expect(await pages(LIST, pk, 1000)).toEqual(await pages(LIST_FULL_SCAN, pk, 1000));
  };
  const ids = async (pk: string) => ((await pages(LIST, pk, 1000)).flat() as { id: string }[]).map((d) => d.id);
  await same();
  await container.items.create({ id: "late", parentId: "p0", n: 5000 });
  expect(await ids("p0")).toContain("late");
  await container.items.create({ id: "first-of-p3", parentId: "p3", n: 5001 });
  expect(await ids("p3")).toEqual(["first-of-p3"]);
  await container.items.upsert({ id: "n2", parentId: "p2", n: 5002 });
  expect(((await pages(LIST, "p2", 1000)).flat() as { id: string; n: number }[]).find((d) => d.id === "n2")?.n).toBe(5002);
  await container.item("n4", "p1").delete();
  expect(await ids("p1")).not.toContain("n4");
  await same();
});

test("only a WHERE clause `alias.partitionKey = @param`, alone or first in a conjunction, is narrowed", () => {
  expect(partitionParameter(LIST, "parentId")).toBe("@pk");
  expect(partitionParameter(SOME, "parentId")).toBe("@pk");
  expect(partitionParameter(`${LIST} AND IS_DEFINED(c.t)`, "parentId")).toBe("@pk");
  expect(partitionParameter(`${LIST} AND c.n >= 0 OR c.n < 0`, "parentId")).toBeUndefined();
  expect(partitionParameter(`${LIST} AND (c.n >= 0 or c.n < 0)`, "parentId")).toBeUndefined();
  expect(partitionParameter(`${LIST} AND (c.n > 0 ? true : true)`, "parentId")).toBeUndefined();
  expect(partitionParameter("select * from c where c.parentId=@p", "parentId")).toBe("@p");
  expect(partitionParameter(LIST_FULL_SCAN, "parentId")).toBeUndefined();
  expect(partitionParameter(`${LIST} ORDER BY c.n`, "parentId")).toBeUndefined();
  expect(partitionParameter("SELECT * FROM c WHERE c.id = @pk", "parentId")).toBeUndefined();
  expect(partitionParameter("SELECT * FROM c WHERE d.parentId = @pk", "parentId")).toBeUndefined();
  expect(partitionParameter("SELECT * FROM c WHERE c.parentId = 'p1'", "parentId")).toBeUndefined();
});
