/**
 * A RecordSpool in memory, for unit tests and for callers that have no disk to spill to. It passes the
 * same conformance suite as the file spool (test/unit/backup/record-spool.conformance.ts); its memory
 * grows with the records, which is what the file spool exists to avoid.
 */
import { assertBatchSize, RecordSpoolError, type RecordSpool } from "../../core/ports/record-spool";
import type { NodeRecord } from "../../core/ports/node-index";

export class MemoryRecordSpool implements RecordSpool {
  private records: NodeRecord[] = [];
  private reading = false;
  private disposed = false;

  async append(records: readonly NodeRecord[]): Promise<void> {
    if (this.reading || this.disposed) throw new RecordSpoolError(`records appended to a spool that is ${this.disposed ? "disposed of" : "being read"}`);
    for (const r of records) this.records.push({ ...r });
  }

  async *read(batchSize: number): AsyncIterable<readonly NodeRecord[]> {
    assertBatchSize(batchSize);
    if (this.disposed) throw new RecordSpoolError("a disposed spool cannot be read");
    this.reading = true;
    for (let i = 0; i < this.records.length; i += batchSize) yield this.records.slice(i, i + batchSize).map((r) => ({ ...r }));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.records = [];
  }
}
