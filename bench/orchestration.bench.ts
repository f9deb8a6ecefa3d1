/**
 * The scan orchestrations (scanTree + scanWave, the real ones) through the local durable driver and
 * the real durable-functions replay engine, over synthetic shares of 10,000, 30,000 and 100,000
 * directories (generated listings, cheap activities, in-memory frontier):
 * - max history events of any one instance (goal <= 10,000 whatever the size);
 * - orchestrator invocations and replayed events per directory (goal: flat as the share grows);
 * - wall time and directories per second.
 * Two delivery modes: "batched" appends every completion that is ready in one episode (the driver's
 * default), "azure-like" at most 32 per episode, closer to the replay cost on Azure's host.
 * AFB_BENCH_ORCH_SIZES overrides the sizes (comma-separated).
 */
import { MemoryFrontierStore } from "../src/adapters/memory/frontier-store";
import { SCAN_TREE_ORCHESTRATION, type ScanStatus, type ScanTreeInput } from "../src/core/orchestration/scan-tree-contract";
import { registerScanOrchestrations } from "../src/functions/orchestrations/scan-tree";
import { DurableHost, installRecorder } from "../src/local/durable";
import { report, type BenchRow } from "./lib/report";
import { registerSyntheticScan } from "./lib/synthetic-scan";
import { syntheticTree } from "./lib/synthetic-tree";

const SIZES = (process.env.AFB_BENCH_ORCH_SIZES ?? "10000,30000,100000").split(",").map(Number);
const MODES: ReadonlyArray<{ name: string; completionBatch: number | undefined }> = [
  { name: "batched", completionBatch: undefined },
  { name: "azure-like", completionBatch: 32 },
];
const HISTORY_GOAL = 10_000;

interface Measured {
  readonly dirs: number;
  readonly seconds: number;
  readonly maxHistory: number;
  readonly invocationsPerDir: number;
  readonly replayedPerDir: number;
  readonly instances: number;
  readonly executions: number;
}

async function main(): Promise<void> {
  const registry = installRecorder();
  registerScanOrchestrations();
  const rows: BenchRow[] = [];
  const byMode = new Map<string, Measured[]>();
  for (const mode of MODES) {
    for (const dirs of SIZES) {
      const tree = syntheticTree(dirs, 10);
      const store = new MemoryFrontierStore();
      const scan = registerSyntheticScan(tree, store, `${mode.name}${dirs}`);
      const host = new DurableHost({ registry, activityParallelism: 16, retainHistory: false, completionBatch: mode.completionBatch });
      const input: ScanTreeInput = { scanId: `bench-${mode.name}-${dirs}`, rootDirId: tree.rootDirId, activities: scan.names };
      global.gc?.();
      const t0 = process.hrtime.bigint();
      const id = await host.startNew(SCAN_TREE_ORCHESTRATION, { input });
      const status = await host.waitForCompletion(id);
      await host.idle();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const out = status.output as ScanStatus;
      if (status.runtimeStatus !== "Completed" || out.listed !== dirs || !scan.visits.every((v) => v === 1)) {
        throw new Error(`scan of ${dirs} directories (${mode.name}) did not list every directory exactly once: ${status.runtimeStatus} ${JSON.stringify(status.output)}`);
      }
      const s = host.stats();
      const m: Measured = {
        dirs,
        seconds,
        maxHistory: s.maxHistoryEvents,
        invocationsPerDir: s.orchestratorInvocations / dirs,
        replayedPerDir: s.replayedEvents / dirs,
        instances: s.instances,
        executions: s.executions,
      };
      byMode.set(mode.name, [...(byMode.get(mode.name) ?? []), m]);
      rows.push({
        name: `${mode.name} ${dirs.toLocaleString("en-US")} dirs`,
        values: {
          "max history/instance": m.maxHistory,
          "invocations/dir": m.invocationsPerDir,
          "replayed events/dir": m.replayedPerDir,
          instances: m.instances,
          executions: m.executions,
          "wall s": m.seconds,
          "dirs/s": Math.round(dirs / m.seconds),
        },
        goal: `<= ${HISTORY_GOAL.toLocaleString("en-US")} events/instance`,
        met: m.maxHistory <= HISTORY_GOAL,
      });
    }
  }
  for (const [mode, ms] of byMode) {
    if (ms.length < 2) continue;
    const small = ms[0];
    const large = ms[ms.length - 1];
    const invRatio = large.invocationsPerDir / small.invocationsPerDir;
    const replayRatio = large.replayedPerDir / small.replayedPerDir;
    rows.push({
      name: `${mode} per-dir growth ${small.dirs / 1000}k -> ${large.dirs / 1000}k`,
      values: { "invocations/dir ratio": invRatio, "replayed/dir ratio": replayRatio },
      goal: "flat (ratio <= 1.25)",
      met: invRatio <= 1.25 && replayRatio <= 1.25,
    });
  }
  report("orchestration", rows, { sizes: SIZES, waveSize: 1000, parallelWaves: 4, roundsPerGeneration: 25 });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
