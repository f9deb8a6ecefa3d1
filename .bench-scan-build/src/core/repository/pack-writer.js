"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PackWriter = void 0;
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
const object_store_1 = require("./object-store");
const pack_format_1 = require("./pack-format");
const layout_1 = require("./layout");
class PackWriter {
    store;
    index;
    targetBytes;
    maxInFlight;
    parts = [];
    entries = [];
    size = 0;
    accepted = new Map();
    inFlight = new Set();
    failure;
    stats = { packsWritten: 0, packBytesWritten: 0 };
    constructor(store, index, options = {}) {
        this.store = store;
        this.index = index;
        this.targetBytes = options.targetBytes ?? pack_format_1.PACK_TARGET_BYTES;
        this.maxInFlight = options.maxInFlight ?? 2;
        if (!Number.isInteger(this.targetBytes) || this.targetBytes < 1 || this.targetBytes > 0xffffffff)
            throw new Error(`pack targetBytes must be an integer from 1 to 4 GiB, got ${options.targetBytes}`);
        if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1)
            throw new Error(`maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    }
    /** Accepted and not yet durable: this session's data for `id`. */
    pending(id) {
        return this.accepted.get(id);
    }
    /** Adds a chunk (the caller has checked it is not stored yet); waits when too many packs are in flight. */
    async add(id, data) {
        this.throwIfBroken();
        if (this.accepted.has(id))
            return;
        if (this.size > 0 && this.size + data.length > this.targetBytes)
            await this.seal();
        this.accepted.set(id, data);
        this.entries.push({ id, offset: this.size, length: data.length });
        this.parts.push(data);
        this.size += data.length;
        if (this.size >= this.targetBytes)
            await this.seal();
    }
    /** Seals the open pack and waits until every pack is durable and indexed. */
    async flush() {
        this.throwIfBroken();
        if (this.size > 0)
            this.startUpload(this.take());
        while (this.inFlight.size > 0)
            await Promise.all([...this.inFlight]);
        this.throwIfBroken();
    }
    async seal() {
        this.startUpload(this.take());
        while (this.inFlight.size >= this.maxInFlight)
            await Promise.race(this.inFlight);
        this.throwIfBroken();
    }
    take() {
        const pack = (0, pack_format_1.buildPack)(Buffer.concat(this.parts, this.size), this.entries);
        this.parts = [];
        this.entries = [];
        this.size = 0;
        return pack;
    }
    startUpload(pack) {
        const upload = this.upload(pack).then(() => undefined, (err) => {
            this.failure ??= err;
        });
        const tracked = upload.finally(() => this.inFlight.delete(tracked));
        this.inFlight.add(tracked);
    }
    async upload(pack) {
        await (0, object_store_1.putIfAbsent)(this.store, (0, layout_1.packKey)(pack.id), pack.bytes);
        this.stats.packsWritten++;
        this.stats.packBytesWritten += pack.bytes.length;
        await this.index.addPack(pack.id, pack.entries);
        for (const e of pack.entries)
            this.accepted.delete(e.id);
    }
    throwIfBroken() {
        if (this.failure !== undefined)
            throw this.failure;
    }
}
exports.PackWriter = PackWriter;
//# sourceMappingURL=pack-writer.js.map