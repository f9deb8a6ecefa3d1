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
 *
 * Memory: each accepted chunk is copied once, into the buffer of the pack being assembled (the caller
 * may reuse its own buffer as soon as `add` resolves); the trailer and footer are written after the
 * chunks in the same buffer, which is uploaded as is. Pack buffers are reused once their upload is
 * durable (a short-lived backup process otherwise allocates its whole content again in 16 MiB
 * buffers, and each such external allocation brings V8's next full GC closer); at most `maxInFlight`
 * + 1 of them exist, and `flush` lets them go.
 */
import { putIfAbsent, type ObjectStore } from "./object-store";
import { finishPack, PACK_TARGET_BYTES, type BuiltPack } from "./pack-format";
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

/**
 * Room kept after a full body for the trailer and footer (about 50 bytes per chunk: 1 MiB covers some
 * 20,000 chunks, i.e. chunks averaging 800 bytes or more in a 16 MiB pack; pages never written cost
 * no memory). A pack of more, smaller chunks is completed in a new buffer.
 */
const TAIL_ROOM = 1024 * 1024;

export class PackWriter {
  private readonly targetBytes: number;
  private readonly maxInFlight: number;
  /** Capacity of a reusable pack buffer. */
  private readonly capacity: number;
  /** The pack being assembled: its chunks lie in body[0, size). */
  private body: Buffer | undefined;
  private entries: PackEntry[] = [];
  private size = 0;
  /** Pack buffers whose upload is durable, ready for the next pack. */
  private readonly spare: Buffer[] = [];
  /** Accepted, not yet durable chunks: views of the pack buffers holding them. */
  private readonly accepted = new Map<HexHash, Buffer>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  readonly stats: PackWriterStats = { packsWritten: 0, packBytesWritten: 0 };

  constructor(private readonly store: ObjectStore, private readonly index: ChunkIndex, options: PackWriterOptions = {}) {
    this.targetBytes = options.targetBytes ?? PACK_TARGET_BYTES;
    this.maxInFlight = options.maxInFlight ?? 2;
    if (!Number.isInteger(this.targetBytes) || this.targetBytes < 1 || this.targetBytes > 0xffffffff) throw new Error(`pack targetBytes must be an integer from 1 to 4 GiB, got ${options.targetBytes}`);
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new Error(`maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    this.capacity = this.targetBytes + TAIL_ROOM;
  }

  /** Accepted and not yet durable. */
  has(id: HexHash): boolean {
    return this.accepted.has(id);
  }

  /** Accepted and not yet durable: a copy of this session's data for `id` (pack buffers are reused). */
  pending(id: HexHash): Buffer | undefined {
    const view = this.accepted.get(id);
    return view === undefined ? undefined : Buffer.from(view);
  }

  /**
   * Adds a chunk (the caller has checked it is not stored yet), copying its bytes into the open pack;
   * false when it was already accepted (a concurrent caller stored the same chunk). Waits when too
   * many packs are in flight. `data` must not change until this resolves.
   */
  async add(id: HexHash, data: Uint8Array): Promise<boolean> {
    this.throwIfBroken();
    if (this.accepted.has(id)) return false;
    // A loop: while this caller waits, others may fill the next pack (or add this very chunk).
    while (this.size > 0 && this.size + data.length > this.targetBytes) {
      await this.seal();
      if (this.accepted.has(id)) return false;
    }
    if (this.body === undefined || this.body.length < this.size + data.length) this.body = this.newBody(data.length);
    const body = this.body;
    body.set(data, this.size);
    this.accepted.set(id, body.subarray(this.size, this.size + data.length));
    this.entries.push({ id, offset: this.size, length: data.length });
    this.size += data.length;
    if (this.size >= this.targetBytes) await this.seal();
    return true;
  }

  /** Seals the open pack and waits until every pack is durable and indexed; then lets the pack buffers go. */
  async flush(): Promise<void> {
    this.throwIfBroken();
    if (this.size > 0) this.startUpload(this.take());
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    this.throwIfBroken();
    this.spare.length = 0;
    if (this.size === 0) this.body = undefined;
  }

  /** An empty pack buffer for a first chunk of `first` bytes: a spare one, or a new one. */
  private newBody(first: number): Buffer {
    if (first > this.targetBytes) return Buffer.allocUnsafeSlow(first + TAIL_ROOM);
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(this.capacity);
  }

  private async seal(): Promise<void> {
    this.startUpload(this.take());
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    this.throwIfBroken();
  }

  private take(): { pack: BuiltPack; body: Buffer | undefined } {
    let body = this.body;
    const pack = finishPack(body!, this.size, this.entries);
    if (pack.bytes.buffer !== body!.buffer || pack.bytes.byteOffset !== body!.byteOffset) {
      // Completed in a new buffer: serve pending reads from it, and reuse the body for the next pack now.
      for (const e of pack.entries) this.accepted.set(e.id, pack.bytes.subarray(e.offset, e.offset + e.length));
      if (body!.length === this.capacity && this.spare.length < this.maxInFlight) this.spare.push(body!);
      body = undefined;
    }
    this.body = undefined;
    this.entries = [];
    this.size = 0;
    return { pack, body };
  }

  private startUpload(sealed: { pack: BuiltPack; body: Buffer | undefined }): void {
    const upload = this.upload(sealed.pack).then(
      () => {
        if (sealed.body !== undefined && sealed.body.length === this.capacity && this.spare.length < this.maxInFlight) this.spare.push(sealed.body);
      },
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
