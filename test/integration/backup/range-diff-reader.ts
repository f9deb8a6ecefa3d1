/**
 * Test helper: the RangeDiffReader capability over the Files SDK (Get Ranges with prevsharesnapshot),
 * added to an AzureShareReader by delegation. It is what the azure-files adapter is asked to offer;
 * until it does, it lets the changed-range path run against the File emulator with the real SDK.
 */
import type { ShareClient } from "@azure/storage-file-share";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import type { ChangedRange, RangeDiffReader } from "../../../src/core/backup/changed-ranges";
import type { ReadRange, ShareEntry, ShareReader } from "../../../src/core/ports/share-reader";

export class RangeDiffShareReader implements ShareReader, RangeDiffReader {
  private readonly inner: ShareReader;

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
  async getChangedRanges(path: string, previousSnapshot: string): Promise<ChangedRange[]> {
    const client = (this.snapshot === undefined ? this.share : this.share.withSnapshot(this.snapshot)).rootDirectoryClient.getFileClient(path);
    const diff = await client.getRangeListDiff(previousSnapshot);
    return [...(diff.ranges ?? []), ...(diff.clearRanges ?? [])].map((r) => ({ offset: r.start, count: r.end - r.start + 1 }));
  }
}
