/**
 * The Table Storage FrontierStore on Azurite's table service: the shared conformance suite, and the
 * scan orchestrations through the local driver with their frontier in Table Storage.
 */
import { SCAN_TREE_ORCHESTRATION, type ScanStatus } from "../../../src/core/orchestration/scan-tree-contract";
import { registerScanOrchestrations } from "../../../src/functions/orchestrations/scan-tree";
import { DurableHost, installRecorder } from "../../../src/local/durable";
import { registerSyntheticScan } from "../../../bench/lib/synthetic-scan";
import { syntheticTree } from "../../../bench/lib/synthetic-tree";
import { TableFrontierStore } from "../../../src/adapters/table/frontier-store";
import type { FrontierStore } from "../../../src/core/ports/frontier-store";
import { startTestStack, type TestStack } from "../../helpers/stack";
import { frontierStoreConformance } from "../../unit/durable/frontier-store.conformance";

let stack: TestStack<"table">;
let store: TableFrontierStore;

beforeAll(async () => {
  stack = await startTestStack({ services: ["table"] });
  store = await TableFrontierStore.connect(stack.settings.table, "frontiertest");
});

afterAll(async () => {
  await stack?.stop();
});

frontierStoreConformance("Azure Table Storage (Azurite)", (): FrontierStore => store);

test("the scan orchestrations list 1,000 directories once each with the frontier in Table Storage", async () => {
  const registry = installRecorder();
  registerScanOrchestrations();
  const tree = syntheticTree(1000, 6);
  const scan = registerSyntheticScan(tree, store, "table");
  const host = new DurableHost({ registry, activityParallelism: 8 });
  const id = await host.startNew(SCAN_TREE_ORCHESTRATION, { input: { scanId: "table-scan", rootDirId: tree.rootDirId, waveSize: 120, parallelWaves: 3, roundsPerGeneration: 3, activities: scan.names } });
  const status = await host.waitForCompletion(id);
  expect(status.runtimeStatus).toBe("Completed");
  expect((status.output as ScanStatus).listed).toBe(1000);
  expect([...scan.visits].every((v) => v === 1)).toBe(true);
  expect(await store.pending("table-scan")).toBe(0);
  await store.clear("table-scan");
});

test("limits are refused with the reason", async () => {
  await expect(store.claim("s", "k", 20_001)).rejects.toThrow(/at most 20000 ids/);
  await expect(store.push("s", "k", Array.from({ length: 98_001 }, (_, i) => String(i)))).rejects.toThrow(/at most 98000 ids and 1000000 characters/);
  await expect(store.push("s", "k", ["x".repeat(8193)])).rejects.toThrow(/1 to 8192 characters/);
});

test("long directory tokens (paths) are split into rows and claims stop at the size limit", async () => {
  const token = (i: number) => `${13835128424026341376n + BigInt(i)}:${"deep/".repeat(400)}dir-${i}`;
  const all = Array.from({ length: 400 }, (_, i) => token(i));
  expect(await store.push("long-tokens", "p", all)).toBe(400);
  const first = await store.claim("long-tokens", "c1", 400);
  expect(first.length).toBeLessThan(400);
  expect(first.join("").length).toBeLessThanOrEqual(300_000);
  const claimed = [...first];
  for (let i = 2; claimed.length < all.length && i < 10; i++) claimed.push(...(await store.claim("long-tokens", `c${i}`, 400)));
  expect(claimed).toEqual(all);
  expect(await store.pending("long-tokens")).toBe(0);
});
