/**
 * Test helper: the azure-files adapter's reader, with every content byte it reads counted, so tests can
 * assert how much of a file the changed-range path read. Get Ranges is the adapter's own.
 */
import type { ShareClient } from "@azure/storage-file-share";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import type { ChangedRange, RangeDiffReader } from "../../../src/core/backup/changed-ranges";
import type { ReadRange, ShareEntry, ShareReader } from "../../../src/core/ports/share-reader";

export class RangeDiffShareReader implements ShareReader, RangeDiffReader {
  private readonly inner: AzureShareReader;

  constructor(
    private readonly share: ShareClient,
    readonly snapshot: string | undefined = undefined,
    private readonly counters = { ranged: 0, bytesRead: 0 },
  ) {
    this.inner = snapshot === undefined ? new AzureShareReader(share) : new AzureShareReader(share.withSnapshot(snapshot), snapshot);
  }

  get description(): string {
    return this.inner.description;
  }
  get bytesRead(): number {
    return this.counters.bytesRead;
  }
  getDirectory(path: string): Promise<ShareEntry> {
    return this.inner.getDirectory(path);
  }
  listDirectory(path: string): AsyncIterable<ShareEntry> {
    return this.inner.listDirectory(path);
  }
  async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    for await (const b of this.inner.openFile(path, range)) {
      this.counters.bytesRead += b.length;
      yield b;
    }
  }
  getPermission(key: string): Promise<string> {
    return this.inner.getPermission(key);
  }
  createSnapshot(): Promise<string> {
    return this.inner.createSnapshot();
  }
  deleteSnapshot(s: string): Promise<void> {
    return this.inner.deleteSnapshot(s);
  }
  atSnapshot(s: string): RangeDiffShareReader {
    return new RangeDiffShareReader(this.share, s, this.counters);
  }
  getChangedRanges(path: string, previousSnapshot: string): Promise<ChangedRange[]> {
    return this.inner.getChangedRanges(path, previousSnapshot);
  }
}
