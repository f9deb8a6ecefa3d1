/**
 * Chunk locations in a compact open-addressing hash table: the 32-byte ids in one byte slab, offsets,
 * lengths and pack numbers in typed arrays, each pack id stored once. About 60 bytes per chunk and no
 * JavaScript object per chunk, so a backup that writes millions of chunks does not grow the garbage
 * collector's work with them (a Map of location objects cost about 215 bytes per chunk, plus the heap
 * headroom the collector keeps above that).
 * Guarantees: `get` returns the last location `set` for an id; ids are lowercase hex SHA-256 (64 digits,
 * refused otherwise); offsets and lengths are below 2^32 (packs are far smaller; refused otherwise).
 */
import type { ChunkLocation, PackEntry } from "./codec-index";
import type { HexHash } from "./model";

const ID_BYTES = 32;
const HEX_ID = /^[0-9a-f]{64}$/;

export class ChunkTable {
  private ids = new Uint8Array(0);
  private offsets = new Uint32Array(0);
  private lengths = new Uint32Array(0);
  private packOf = new Uint32Array(0);
  /** Entry number + 1 per slot; 0 = empty. Twice the entries at least, so probes stay short. */
  private slots = new Int32Array(16);
  private readonly packs: HexHash[] = [];
  private readonly packNumbers = new Map<HexHash, number>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The location of `id`; `raw` is its 32 bytes when the caller has decoded them already. */
  get(id: HexHash, raw?: Buffer): ChunkLocation | undefined {
    if (!HEX_ID.test(id)) return undefined;
    const key = raw ?? Buffer.from(id, "hex");
    const entry = this.find(key);
    if (entry < 0) return undefined;
    return { id, offset: this.offsets[entry], length: this.lengths[entry], pack: this.packs[this.packOf[entry]] };
  }

  set(entry: PackEntry, pack: HexHash): void {
    if (!HEX_ID.test(entry.id)) throw new Error(`chunk id ${JSON.stringify(entry.id)} is not 64 lowercase hex digits`);
    if (!isU32(entry.offset) || !isU32(entry.length)) throw new Error(`chunk ${entry.id}: offset ${entry.offset} or length ${entry.length} is not below 2^32`);
    const key = Buffer.from(entry.id, "hex");
    let n = this.find(key);
    if (n < 0) {
      if ((this.count + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
      n = this.count++;
      this.reserve(this.count);
      this.ids.set(key, n * ID_BYTES);
      this.slots[this.emptySlotFor(key)] = n + 1;
    }
    this.offsets[n] = entry.offset;
    this.lengths[n] = entry.length;
    this.packOf[n] = this.packNumber(pack);
  }

  private packNumber(pack: HexHash): number {
    let n = this.packNumbers.get(pack);
    if (n === undefined) {
      n = this.packs.push(pack) - 1;
      this.packNumbers.set(pack, n);
    }
    return n;
  }

  /** The entry number of `key`, or -1. */
  private find(key: Buffer): number {
    const mask = this.slots.length - 1;
    for (let slot = key.readUInt32LE(0) & mask; ; slot = (slot + 1) & mask) {
      const e = this.slots[slot] - 1;
      if (e < 0) return -1;
      if (this.sameId(e, key)) return e;
    }
  }

  private emptySlotFor(key: Buffer): number {
    const mask = this.slots.length - 1;
    let slot = key.readUInt32LE(0) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  private sameId(entry: number, key: Buffer): boolean {
    const base = entry * ID_BYTES;
    for (let i = 0; i < ID_BYTES; i++) if (this.ids[base + i] !== key[i]) return false;
    return true;
  }

  private rehash(slotCount: number): void {
    this.slots = new Int32Array(slotCount);
    const mask = slotCount - 1;
    for (let e = 0; e < this.count; e++) {
      const base = e * ID_BYTES;
      let slot = (this.ids[base] | (this.ids[base + 1] << 8) | (this.ids[base + 2] << 16) | (this.ids[base + 3] << 24)) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = e + 1;
    }
  }

  /** Room for `entries` entries (grown by doubling: amortized O(1) per set). */
  private reserve(entries: number): void {
    if (entries <= this.offsets.length) return;
    const cap = Math.max(16, this.offsets.length * 2, entries);
    const grow = <T extends Uint8Array | Uint32Array>(old: T, make: (n: number) => T, per: number): T => {
      const next = make(cap * per);
      next.set(old);
      return next;
    };
    this.ids = grow(this.ids, (n) => new Uint8Array(n), ID_BYTES);
    this.offsets = grow(this.offsets, (n) => new Uint32Array(n), 1);
    this.lengths = grow(this.lengths, (n) => new Uint32Array(n), 1);
    this.packOf = grow(this.packOf, (n) => new Uint32Array(n), 1);
  }
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < 2 ** 32;
}
