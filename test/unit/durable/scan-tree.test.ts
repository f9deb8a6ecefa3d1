/**
 * The scan orchestrations through the local driver and the real durable-functions library, over a
 * synthetic tree of 2,000 directories: every directory listed exactly once (also with transient
 * faults retried), counts summed, the history of every instance bounded, progress in custom status.
 */
import { MemoryFrontierStore } from "../../../src/adapters/memory/frontier-store";
import { SCAN_TREE_ORCHESTRATION, type ScanStatus, type ScanTreeInput } from "../../../src/core/orchestration/scan-tree-contract";
import { registerScanOrchestrations } from "../../../src/functions/orchestrations/scan-tree";
import { registerScanFrontierActivity } from "../../../src/functions/activities/scan-frontier";
import { DurableHost, installRecorder } from "../../../src/local/durable";
import { registerSyntheticScan } from "../../../bench/lib/synthetic-scan";
import { syntheticTree } from "../../../bench/lib/synthetic-tree";

const registry = installRecorder();
registerScanOrchestrations();
const tree = syntheticTree(2000, 7);
const store = new MemoryFrontierStore();
const clean = registerSyntheticScan(tree, store, "clean");
const faulty = registerSyntheticScan(tree, store, "faulty", 10);
let factoryCalls = 0;
registerScanFrontierActivity(async () => {
  if (++factoryCalls === 1) throw new Error("table service unreachable");
  return new MemoryFrontierStore();
}, "lazyFrontier");

describe("scanTree orchestration", () => {
  test("lists each of 2,000 directories exactly once, within the history bound, across generations", async () => {
    const host = new DurableHost({ registry, activityParallelism: 8 });
    const input: ScanTreeInput = { scanId: "scan-clean", rootDirId: tree.rootDirId, waveSize: 150, parallelWaves: 3, roundsPerGeneration: 4, activities: clean.names };
    const id = await host.startNew(SCAN_TREE_ORCHESTRATION, { instanceId: "scan-1", input });
    const status = await host.waitForCompletion(id);
    expect(status.runtimeStatus).toBe("Completed");
    expect([...clean.visits].every((v) => v === 1)).toBe(true);
    const out = status.output as ScanStatus;
    expect(out).toMatchObject({ phase: "done", listed: 2000, dirs: tree.totals.subdirs, files: tree.totals.files, bytes: tree.totals.bytes, errors: 0 });
    expect(status.customStatus).toEqual(out);
    expect(out.generation).toBeGreaterThan(0);
    expect(host.counters(id).executions).toBe(out.generation + 1);
    const stats = host.stats();
    // A wave: claim, 150 listings, push: 2 events each plus episode markers.
    expect(stats.maxHistoryEvents).toBeLessThanOrEqual(2 * 150 + 20);
    // Besides the listings: the root push, one claim per wave, one push per wave that found children.
    const waves = stats.instances - 1;
    expect(stats.activityExecutions).toBeGreaterThanOrEqual(2000 + 1 + waves);
    expect(stats.activityExecutions).toBeLessThanOrEqual(2000 + 1 + 2 * waves);
    expect(await store.pending("scan-clean")).toBe(0);
  });

  test("transient listing faults are retried without listing any directory twice", async () => {
    const host = new DurableHost({ registry, activityParallelism: 8 });
    const input: ScanTreeInput = { scanId: "scan-faulty", rootDirId: tree.rootDirId, waveSize: 400, activities: faulty.names };
    const status = await host.waitForCompletion(await host.startNew(SCAN_TREE_ORCHESTRATION, { input }));
    expect(status.runtimeStatus).toBe("Completed");
    expect(faulty.failures.count).toBe(200);
    expect([...faulty.visits].every((v) => v === 1)).toBe(true);
    expect((status.output as ScanStatus).listed).toBe(2000);
  });

  test("the frontier activity builds a lazy store on first use, again after a failed build, then once", async () => {
    const fn = registry.require("lazyFrontier", "activityTrigger");
    const host = new DurableHost({ registry });
    const call = (req: unknown) => fn.handler(req, host.invocationContext(fn));
    await expect(call({ op: "push", scanId: "s", key: "k", dirIds: ["d1"] })).rejects.toThrow("table service unreachable");
    await expect(call({ op: "push", scanId: "s", key: "k", dirIds: ["d1"] })).resolves.toEqual({ pushed: 1 });
    await expect(call({ op: "claim", scanId: "s", key: "c", max: 5 })).resolves.toEqual({ dirIds: ["d1"] });
    await expect(call({ op: "pop", scanId: "s" })).rejects.toThrow(/unknown op "pop"/);
    expect(factoryCalls).toBe(2);
  });

  test("bad input fails the scan with the reason", async () => {
    const host = new DurableHost({ registry });
    const status = await host.waitForCompletion(await host.startNew(SCAN_TREE_ORCHESTRATION, { input: { scanId: "x", rootDirId: "d0", waveSize: 0 } }));
    expect(status.runtimeStatus).toBe("Failed");
    expect(String(status.output)).toContain("waveSize must be an integer from 1 to 4000, got 0");
  });
});
