/**
 * The scan as Durable orchestrations, with a bounded history whatever the share size:
 * - `scanTree` runs rounds of `parallelWaves` wave sub-orchestrations until a round lists nothing,
 *   and continues as new every `roundsPerGeneration` rounds, carrying only counts: its history per
 *   generation is about 2 + 2 x parallelWaves events per round.
 * - `scanWave` claims a batch of at most `waveSize` directory ids from the frontier (kept outside the
 *   history by the `scanFrontier` activity), fans out one `listDirectory` per directory, pushes the
 *   child directories they found back to the frontier and returns counts: about 2 x waveSize + 8
 *   events.
 * Every directory pushed once is listed once: claims and pushes are keyed by deterministic keys
 * (scan, generation, round, wave), so a retried activity or a replay never claims or pushes twice.
 * A round that lists nothing ends the scan: each wave pushed its children before it returned, so the
 * frontier is then empty. Deterministic: no clock, no randomness, no I/O (lint-enforced).
 * Registration is explicit (registerScanOrchestrations), never at import time.
 */
import * as df from "durable-functions";
import { transientRetry } from "./retry";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import {
  DEFAULT_SCAN_ACTIVITIES,
  SCAN_TREE_ORCHESTRATION,
  SCAN_WAVE_ORCHESTRATION,
  ZERO_COUNTS,
  addCounts,
  type FrontierRequest,
  type ListDirectoryInput,
  type ListDirectoryOutput,
  type ScanProgress,
  type ScanStatus,
  type ScanTreeInput,
  type ScanWaveInput,
  type ScanWaveOutput,
} from "../../core/orchestration/scan-tree-contract";

const DEFAULT_WAVE_SIZE = 1000;
const MAX_WAVE_SIZE = 4000;
const DEFAULT_PARALLEL_WAVES = 4;
const DEFAULT_ROUNDS_PER_GENERATION = 25;

function positiveInt(value: number | undefined, fallback: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`scanTree: ${what} must be an integer from 1 to ${max}, got ${v}`);
  return v;
}

export const scanTreeOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ScanTreeInput>();
  if (typeof input?.scanId !== "string" || typeof input.rootDirId !== "string") throw new Error("scanTree needs { scanId, rootDirId }");
  const waveSize = positiveInt(input.waveSize, DEFAULT_WAVE_SIZE, "waveSize", MAX_WAVE_SIZE);
  const parallelWaves = positiveInt(input.parallelWaves, DEFAULT_PARALLEL_WAVES, "parallelWaves", 64);
  const roundsPerGeneration = positiveInt(input.roundsPerGeneration, DEFAULT_ROUNDS_PER_GENERATION, "roundsPerGeneration", 1000);
  const activities = input.activities ?? DEFAULT_SCAN_ACTIVITIES;
  let progress: ScanProgress = input.carried ?? { ...ZERO_COUNTS, listed: 0, rounds: 0, generation: 0 };
  const status = (phase: ScanStatus["phase"]): ScanStatus => ({ phase, ...progress });

  if (input.carried === undefined) {
    const seed: FrontierRequest = { op: "push", scanId: input.scanId, key: "root", dirIds: [input.rootDirId] };
    yield context.df.callActivityWithRetry(activities.frontier, transientRetry(), seed);
  }
  context.df.setCustomStatus(status("scanning"));
  for (let round = 0; round < roundsPerGeneration; round++) {
    const waves = [];
    for (let w = 0; w < parallelWaves; w++) {
      const wave: ScanWaveInput = { scanId: input.scanId, key: `g${progress.generation}-r${round}-w${w}`, max: waveSize, activities };
      waves.push(context.df.callSubOrchestrator(SCAN_WAVE_ORCHESTRATION, wave, `${context.df.instanceId}-${wave.key}`));
    }
    const results: ScanWaveOutput[] = yield context.df.Task.all(waves);
    let listed = 0;
    for (const r of results) {
      listed += r.listed;
      progress = addCounts(progress, r);
    }
    progress = { ...progress, listed: progress.listed + listed, rounds: progress.rounds + 1 };
    if (listed === 0) {
      context.df.setCustomStatus(status("done"));
      return status("done");
    }
    context.df.setCustomStatus(status("scanning"));
  }
  const next: ScanTreeInput = { ...input, carried: { ...progress, generation: progress.generation + 1 } };
  context.df.continueAsNew(next);
  return undefined;
};

export const scanWaveOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ScanWaveInput>();
  const retry = transientRetry();
  const claim: FrontierRequest = { op: "claim", scanId: input.scanId, key: input.key, max: input.max };
  const claimed: { dirIds: string[] } = yield context.df.callActivityWithRetry(input.activities.frontier, retry, claim);
  const empty: ScanWaveOutput = { ...ZERO_COUNTS, listed: 0, pushed: 0 };
  if (claimed.dirIds.length === 0) return empty;
  const listings = claimed.dirIds.map((dirId) => {
    const req: ListDirectoryInput = { scanId: input.scanId, dirId };
    return context.df.callActivityWithRetry(input.activities.listDirectory, retry, req);
  });
  const results: ListDirectoryOutput[] = yield context.df.Task.all(listings);
  let counts = empty;
  const children: string[] = [];
  for (const r of results) {
    counts = addCounts(counts, r);
    for (const id of r.childDirIds) children.push(id);
  }
  if (children.length > 0) {
    const push: FrontierRequest = { op: "push", scanId: input.scanId, key: input.key, dirIds: children };
    yield context.df.callActivityWithRetry(input.activities.frontier, retry, push);
  }
  return { ...counts, listed: claimed.dirIds.length, pushed: children.length };
};

/** Registers scanTree and scanWave with the Functions app (call from the app's entry point). */
export function registerScanOrchestrations(): void {
  df.app.orchestration(SCAN_TREE_ORCHESTRATION, scanTreeOrchestrator);
  df.app.orchestration(SCAN_WAVE_ORCHESTRATION, scanWaveOrchestrator);
}
