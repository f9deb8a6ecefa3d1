/**
 * The documents a distributed backup run keeps in its RunStore, and the directory token the scan
 * orchestrations pass around. Everything here is plain JSON (no Maps, no Buffers), so any activity on
 * any worker can read what another wrote.
 */
import type { NodeRecord } from "../ports/node-index";
import type { SnapshotRef } from "../repository/layout";
import type { ChunkRef, UnstableFile } from "../repository/model";
import type { NodeChange } from "../scan/change-set";
import type { Sighting } from "../scan/scan-state";
import { LISTING_DIGEST } from "../scan/records";
import type { SealJob } from "../backup/plan";
import type { SealedDir } from "../backup/seal";
import type { StoredFile } from "../backup/content";
import { BackupError } from "../backup/model";

/** `run`: what every activity of the run needs to know. */
export interface RunInfo {
  readonly runId: string;
  /** The repository's share key. */
  readonly share: string;
  /** The node index's share id. */
  readonly shareId: string;
  /** Who holds the share's lock (the orchestration instance). */
  readonly owner: string;
  /** The share snapshot read from; absent when read live. */
  readonly shareSnapshot?: string;
  readonly parent?: SnapshotRef;
  readonly parentRoot?: string;
  readonly parentShareSnapshot?: string;
  /** Milliseconds since the epoch. */
  readonly started: number;
  readonly tags: readonly string[];
  readonly indexRebuilt: boolean;
  /** The index holds nothing for this share: listings need not query it. */
  readonly fresh: boolean;
  readonly keepShareSnapshots: number;
  readonly largeFileBytes?: number;
}

/** A directory still to list, as the orchestrations carry it (opaque to them). */
export interface DirToken {
  readonly fileId: string;
  readonly parentFileId: string;
  readonly path: string;
  /** The index had this directory under this parent. */
  readonly indexed: boolean;
  /** The listing digest its record carries with a tree id (see listing-skip.ts). */
  readonly listing?: string;
}

export function encodeToken(t: DirToken): string {
  const fields: (string | number)[] = [t.fileId, t.parentFileId, t.indexed ? 1 : 0, t.path];
  if (t.listing !== undefined) fields.push(t.listing);
  return JSON.stringify(fields);
}

export function decodeToken(token: unknown): DirToken {
  let v: unknown;
  try {
    v = typeof token === "string" ? JSON.parse(token) : undefined;
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || (v.length !== 4 && v.length !== 5) || typeof v[0] !== "string" || typeof v[1] !== "string" || (v[2] !== 0 && v[2] !== 1) || typeof v[3] !== "string" || (v.length === 5 && (typeof v[4] !== "string" || !LISTING_DIGEST.test(v[4])))) {
    throw new BackupError(`directory token ${JSON.stringify(token)} is not one this app produced ([fileId, parentFileId, indexed, path, listing?])`);
  }
  return { fileId: v[0], parentFileId: v[1], indexed: v[2] === 1, path: v[3], ...(v.length === 5 ? { listing: v[4] as string } : {}) };
}

export function depthOf(path: string): number {
  return path === "" ? 0 : path.split("/").length;
}

/** `scan/<hash>`: what the listing of one directory found, written only when something changed. */
export interface DirRecord {
  readonly fileId: string;
  readonly path: string;
  readonly changes: readonly NodeChange[];
  readonly replaced: readonly Sighting[];
  readonly appeared: readonly Sighting[];
  readonly disappeared: readonly Sighting[];
  /** Present when the directory's children changed: the index's record of it (null: none). */
  readonly dirty?: NodeRecord | null;
  /** Child directories the index holds without a tree id (they must be sealed). */
  readonly untreed: readonly NodeRecord[];
  /** The directory was unchanged but its record lacked this listing's digest: the record with it. */
  readonly listingFill?: NodeRecord;
  /** The directory vanished between its parent's listing and its own. */
  readonly vanished?: { readonly message: string; readonly previous: NodeRecord | null; readonly depth: number };
}

/** `content/<n>`: one batch of files to read, with the old trees their previous versions are in. */
export interface ContentBatch {
  readonly changes: readonly NodeChange[];
  readonly oldTrees: readonly (readonly [string, string])[];
}

/** `content-out/<n>`: what a content batch stored. */
export interface ContentOutput {
  readonly stored: readonly (readonly [string, StoredFile])[];
  readonly unstable: readonly UnstableFile[];
}

/** Files per content batch, and bytes (a larger file is a batch of its own). */
export const BATCH_FILES = 64;
export const BATCH_BYTES = 256 * 2 ** 20;
/** Directories per seal slice (raised for huge levels so that the slices stay few). */
export const SLICE_JOBS = 200;
export const MAX_SLICES = 2000;

/** The name of slice `slice` of the level at `depth`. */
export const sliceKey = (depth: number, slice: number): string => `d${depth}-s${slice}`;

/** `seal/<key>`: one slice of one level of the directories to seal. */
export interface SealSlice {
  readonly jobs: readonly SealJob[];
  readonly byParent: readonly (readonly [string, readonly NodeChange[]])[];
  readonly leftParent: readonly (readonly [string, readonly string[]])[];
  readonly oldTreeOf: readonly (readonly [string, string])[];
  /** Content batches holding files of these directories. */
  readonly contentBatches: readonly number[];
  /** Deeper slices holding child directories sealed this run. */
  readonly childSlices: readonly string[];
}

/** `seal-out/<key>`: what a slice sealed. */
export interface SealOutput {
  /** null: the directory vanished (live sources). */
  readonly sealed: readonly (readonly [string, SealedDir | null])[];
  readonly fills: readonly (readonly [string, NodeRecord | string])[];
  readonly extraJobs: readonly SealJob[];
  readonly unstable: readonly UnstableFile[];
}

/** Counts an activity reports (summed by the orchestration into the manifest's stats). */
export interface StepCounts {
  readonly filesRead: number;
  readonly bytesRead: number;
  readonly bytesAdded: number;
  readonly chunksAdded: number;
  readonly packsWritten: number;
  readonly treesWritten: number;
  readonly rangeReads: number;
  readonly unstable: number;
  readonly fullReadReasons: Readonly<Record<string, number>>;
}

export const ZERO_STEP: StepCounts = { filesRead: 0, bytesRead: 0, bytesAdded: 0, chunksAdded: 0, packsWritten: 0, treesWritten: 0, rangeReads: 0, unstable: 0, fullReadReasons: {} };

export function addSteps(a: StepCounts, b: StepCounts): StepCounts {
  const reasons: Record<string, number> = { ...a.fullReadReasons };
  for (const [k, v] of Object.entries(b.fullReadReasons)) reasons[k] = (reasons[k] ?? 0) + v;
  return {
    filesRead: a.filesRead + b.filesRead, bytesRead: a.bytesRead + b.bytesRead, bytesAdded: a.bytesAdded + b.bytesAdded,
    chunksAdded: a.chunksAdded + b.chunksAdded, packsWritten: a.packsWritten + b.packsWritten, treesWritten: a.treesWritten + b.treesWritten,
    rangeReads: a.rangeReads + b.rangeReads, unstable: a.unstable + b.unstable, fullReadReasons: reasons,
  };
}

export type { ChunkRef };
