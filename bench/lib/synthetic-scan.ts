/**
 * Registers cheap stand-ins for the scan's activities over a synthetic tree: a `listDirectory` that
 * answers from the tree (optionally failing the first attempt of every n-th directory, to exercise
 * retries) and counts successful listings per directory, and the real `scanFrontier` activity over
 * the given FrontierStore. Call after installRecorder(); names must be unique in the process.
 */
import * as df from "durable-functions";
import type { FrontierStore } from "../../src/core/ports/frontier-store";
import type { ListDirectoryInput, ListDirectoryOutput, ScanActivityNames } from "../../src/core/orchestration/scan-tree-contract";
import { registerScanFrontierActivity } from "../../src/functions/activities/scan-frontier";
import type { SyntheticTree } from "./synthetic-tree";

export interface SyntheticScan {
  readonly names: ScanActivityNames;
  /** Successful listings per directory index. */
  readonly visits: Uint32Array;
  readonly failures: { count: number };
}

export function registerSyntheticScan(tree: SyntheticTree, store: FrontierStore, prefix: string, failFirstAttemptEvery = 0): SyntheticScan {
  const names: ScanActivityNames = { listDirectory: `${prefix}ListDirectory`, frontier: `${prefix}Frontier` };
  const visits = new Uint32Array(tree.dirs);
  const failed = new Set<number>();
  const failures = { count: 0 };
  df.app.activity(names.listDirectory, {
    handler: (req: ListDirectoryInput): ListDirectoryOutput => {
      const i = Number(req.dirId.slice(1));
      if (!Number.isInteger(i) || i < 0 || i >= tree.dirs) throw new Error(`no directory ${req.dirId} in the synthetic tree`);
      if (failFirstAttemptEvery > 0 && i % failFirstAttemptEvery === 0 && !failed.has(i)) {
        failed.add(i);
        failures.count++;
        throw new Error(`injected transient fault listing ${req.dirId}`);
      }
      visits[i]++;
      const childDirIds = tree.children(req.dirId);
      return { childDirIds, dirs: childDirIds.length, files: tree.filesOf(i), bytes: tree.bytesOf(i), changes: 0, errors: 0 };
    },
  });
  registerScanFrontierActivity(store, names.frontier);
  return { names, visits, failures };
}
