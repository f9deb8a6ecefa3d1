/**
 * The scanner: walks a share directory by directory (depth first, a bounded number of listings in
 * flight), compares each listing with the index's children of that directory, and returns a change
 * set. It never reads file content and never writes the index (see applyChangeSet).
 * Guarantees: a renamed or moved directory is one change and its subtree comes out unchanged (its
 * children are filed under its own FileId), whatever the listing order; deletions are decided only
 * after the whole tree was seen; memory holds the directories waiting to be listed, one listing per
 * worker, and the changes. Moved directories are still listed (listing reads no content), so a moved
 * directory whose content also changed is still reported correctly. A directory whose listing has
 * the digest its record carries costs its listing and one query of its sealed subdirectories, not a
 * query of all its children (listing-skip.ts).
 * A directory that vanishes while the scan runs is reported in `stats.errors` and treated as gone;
 * any other failure stops the scan with a ScanError and nothing to apply. A live share that changes
 * during the scan can yield a change set that mixes two states: scan a share snapshot for one state.
 */
import { PathNotFoundError, type ShareEntry, type ShareReader } from "../ports/share-reader";
import { assertShareId, type NodeIndex, type NodeRecord } from "../ports/node-index";
import type { ChangeSet } from "./change-set";
import { ScanState, type DirectoryWork } from "./scan-state";
import { childrenOf, knownListing, listAndClassify, listingsOf } from "./listing-skip";
import { countChanges, dropStaleTrees, resolveChanges } from "./resolve";
import { ProgressTicker, type ScanStats } from "./stats";

export interface ScanOptions {
  readonly shareId: string;
  readonly reader: ShareReader;
  readonly index: NodeIndex;
  /** Milliseconds, for the progress interval only. */
  readonly now: () => number;
  /** Directory listings in flight (default 8). */
  readonly concurrency?: number;
  /** Minimum time between progress callbacks (default 1000 ms). */
  readonly progressIntervalMs?: number;
  readonly onProgress?: (stats: ScanStats) => void;
}

/** A scan that could not finish; `cause` is the domain error of the reader or the index. */
export class ScanError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ScanError";
  }
}

/** The share root's own parent: the root is the one child filed under FileId "0". */
export const ROOT_PARENT = "0";

async function guarded<T>(fn: () => Promise<T>, context: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ScanError(`${context}: ${describe(err)}`, { cause: err });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Scans the share behind `options.reader` against the index and returns what changed. */
export async function scanShare(options: ScanOptions): Promise<ChangeSet> {
  const { shareId, reader, index } = options;
  assertShareId(shareId);
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`scan concurrency must be a positive integer, got ${concurrency}`);
  const ticker = new ProgressTicker(options.now, options.progressIntervalMs ?? 1000, options.onProgress);
  const state = new ScanState();

  let root: ShareEntry;
  let rootIndexed: Map<string, NodeRecord>;
  try {
    [root, rootIndexed] = await Promise.all([reader.getDirectory(""), childrenOf(index, shareId, ROOT_PARENT)]);
  } catch (err) {
    throw new ScanError(`cannot start the scan of ${reader.description}: ${describe(err)}`, { cause: err });
  }
  // A share the index has never seen: every directory is new, so its children need not be queried.
  const hasShare = index.hasShare?.bind(index);
  const fresh = rootIndexed.size === 0 && hasShare !== undefined && !(await guarded(() => hasShare(shareId), `cannot start the scan of ${reader.description}`));
  const top = state.classifyDirectory({ path: "", fileId: ROOT_PARENT, depth: -1, previous: undefined }, [{ ...root, name: "" }], rootIndexed);

  const listOne = async (dir: DirectoryWork): Promise<DirectoryWork[]> => {
    try {
      const known = knownListing(dir.previous);
      return await listAndClassify(state, dir, reader.listDirectory(dir.path), fresh ? undefined : { index, shareId }, known, () => Promise.resolve(dir.previous));
    } catch (err) {
      if (err instanceof PathNotFoundError) {
        state.vanished(dir, `directory vanished during the scan (deleted or moved): ${describe(err)}`);
        return [];
      }
      throw new ScanError(`scan of ${reader.description} failed at ${JSON.stringify(dir.path)}: ${describe(err)}`, { cause: err });
    }
  };

  await walk(top, concurrency, listOne, () => ticker.tick(state.stats));

  let changes;
  try {
    changes = await resolveChanges(state, index, shareId);
  } catch (err) {
    throw new ScanError(`scan of ${reader.description} failed while reading deleted subtrees from the index: ${describe(err)}`, { cause: err });
  }
  const staleTrees = dropStaleTrees(changes, state.dirty);
  countChanges(state.stats, changes);
  ticker.finish(state.stats);
  return { shareId, snapshot: reader.snapshot, changes, staleTrees, stats: state.stats, ...listingsOf(state) };
}

/** Depth-first over directories with at most `concurrency` in flight; rejects on the first failure. */
function walk(start: DirectoryWork[], concurrency: number, visit: (d: DirectoryWork) => Promise<DirectoryWork[]>, onVisited: () => void): Promise<void> {
  // A stack, children pushed in reverse: with concurrency 1 directories are listed in pre-order.
  const stack = [...start].reverse();
  let active = 0;
  let failed = false;
  return new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      while (!failed && active < concurrency && stack.length > 0) {
        const dir = stack.pop() as DirectoryWork;
        active++;
        visit(dir).then(
          (children) => {
            active--;
            for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
            onVisited();
            pump();
          },
          (err: unknown) => {
            active--;
            if (!failed) {
              failed = true;
              reject(err);
            }
          },
        );
      }
      if (!failed && active === 0 && stack.length === 0) resolve();
    };
    pump();
  });
}
