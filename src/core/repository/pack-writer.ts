/**
 * Collects chunks into packs and uploads them, a few at a time, without a lock or a coordinator.
 *
 * Order of writes, which is what makes a crash harmless: the pack blob first (create-only; a pack
 * with the same id already there is the same bytes), then its L0 index blob. A crash before the index
 * blob leaves an unreferenced pack (found again by Repository.rebuildIndex, or removed by a later
 * garbage collection); no index entry ever names a pack that is not durable.
 *
 * Guarantees: `has` and `pending` answer for chunks accepted but not yet durable, so a session does not
 * store a chunk twice; `flush` resolves only when every accepted chunk is durable and indexed. After a
 * failed upload the writer is broken: every later call throws that error, because chunk ids handed
 * out since the last successful flush may name data that was never stored.
 */
import { putIfAbsent, type ObjectStore } from "./object-store";
import { buildPack, PACK_TARGET_BYTES, type BuiltPack } from "./pack-format";
import type { ChunkIndex } from "./chunk-index";
import type { PackEntry } from "./codec-index";
import { packKey } from "./layout";
import type { HexHash } from "./model";

export interface PackWriterOptions {
  /** A pack is sealed before it would pass this many bytes (default 16 MiB). */
  readonly targetBytes?: number;
  /** Packs uploading at once; `add` waits when this many are in flight (default 2). */
  readonly maxInFlight?: number;
}

export interface PackWriterStats {
  packsWritten: number;
  packBytesWritten: number;
}

export class PackWriter {
  private readonly targetBytes: number;
  private readonly maxInFlight: number;
  private parts: Buffer[] = [];
  private entries: PackEntry[] = [];
  private size = 0;
  private readonly accepted = new Map<HexHash, Buffer>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  readonly stats: PackWriterStats = { packsWritten: 0, packBytesWritten: 0 };

  constructor(private readonly store: ObjectStore, private readonly index: ChunkIndex, options: PackWriterOptions = {}) {
    this.targetBytes = options.targetBytes ?? PACK_TARGET_BYTES;
    this.maxInFlight = options.maxInFlight ?? 2;
    if (!Number.isInteger(this.targetBytes) || this.targetBytes < 1 || this.targetBytes > 0xffffffff) throw new Error(`pack targetBytes must be an integer from 1 to 4 GiB, got ${options.targetBytes}`);
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new Error(`maxInFlight must be a positive integer, got ${options.maxInFlight}`);
  }

  /** Accepted and not yet durable: this session's data for `id`. */
  pending(id: HexHash): Buffer | undefined {
    return this.accepted.get(id);
  }

  /**
   * Adds a chunk (the caller has checked it is not stored yet); false when it was already accepted
   * (a concurrent caller stored the same chunk). Waits when too many packs are in flight.
   */
  async add(id: HexHash, data: Buffer): Promise<boolean> {
    this.throwIfBroken();
    if (this.accepted.has(id)) return false;
    if (this.size > 0 && this.size + data.length > this.targetBytes) await this.seal();
    this.accepted.set(id, data);
    this.entries.push({ id, offset: this.size, length: data.length });
    this.parts.push(data);
    this.size += data.length;
    if (this.size >= this.targetBytes) await this.seal();
    return true;
  }

  /** Seals the open pack and waits until every pack is durable and indexed. */
  async flush(): Promise<void> {
    this.throwIfBroken();
    if (this.size > 0) this.startUpload(this.take());
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    this.throwIfBroken();
  }

  private async seal(): Promise<void> {
    this.startUpload(this.take());
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    this.throwIfBroken();
  }

  private take(): BuiltPack {
    const pack = buildPack(this.parts, this.entries);
    // Serve pending reads from the sealed pack, so the chunk buffers can be freed during the upload.
    for (const e of pack.entries) this.accepted.set(e.id, pack.bytes.subarray(e.offset, e.offset + e.length));
    this.parts = [];
    this.entries = [];
    this.size = 0;
    return pack;
  }

  private startUpload(pack: BuiltPack): void {
    const upload = this.upload(pack).then(
      () => undefined,
      (err: unknown) => {
        this.failure ??= err;
      },
    );
    const tracked = upload.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async upload(pack: BuiltPack): Promise<void> {
    await putIfAbsent(this.store, packKey(pack.id), pack.bytes);
    this.stats.packsWritten++;
    this.stats.packBytesWritten += pack.bytes.length;
    await this.index.addPack(pack.id, pack.entries);
    for (const e of pack.entries) this.accepted.delete(e.id);
  }

  private throwIfBroken(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
