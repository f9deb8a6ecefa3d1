/**
 * The `RecordSpool` port: node records parked outside the engine's memory until they may be written
 * to the node index (a first backup seals directories as it goes, but the index may learn of them
 * only after the snapshot manifest is written). Records go in append-only and come out in append
 * order, in batches; a spool is written by one backup and disposed of by it.
 * Guarantees of every adapter: `read` yields every appended record exactly once, equal to what was
 * appended, in order, in batches of at most `batchSize`; appends after `read` started are refused;
 * `dispose` frees everything the spool holds and is safe to call twice.
 */
import type { NodeRecord } from "./node-index";

export interface RecordSpool {
  /** Adds records after those already appended. */
  append(records: readonly NodeRecord[]): Promise<void>;
  /** Every record appended, in order, in batches of at most `batchSize`. */
  read(batchSize: number): AsyncIterable<readonly NodeRecord[]>;
  /** Frees the spool's memory or disk space. */
  dispose(): Promise<void>;
}

/** Opens an empty spool for one backup. */
export type RecordSpoolFactory = () => Promise<RecordSpool>;

/** Thrown for a misuse of a spool (append after read, a bad batch size, a damaged spool file). */
export class RecordSpoolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RecordSpoolError";
  }
}

/** Refuses a batch size that is not a positive integer. */
export function assertBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RecordSpoolError(`spool batch size must be a positive integer, got ${batchSize}`);
}
