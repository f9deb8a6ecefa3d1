"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Repository = void 0;
/**
 * The backup repository over an ObjectStore: content-addressed chunks in packs, trees, SDDL strings
 * and snapshot manifests (layout.ts names every blob). Blob Storage is the source of truth: the chunk
 * index and anything a database holds about backups can be rebuilt from these blobs.
 *
 * Guarantees:
 *  - Writes are idempotent and need no lock: every object is named by the SHA-256 of its bytes and
 *    created with If-None-Match, so parallel or retried writers only ever write identical bytes.
 *  - A snapshot is written last, after `flush`: everything it references (trees, chunks in durable,
 *    indexed packs, SDDL) exists before it does. A crash leaves at worst unreferenced blobs.
 *  - Content streams: storing or reading a file holds at most a few chunks (<= 8 MiB each) and the
 *    open packs (<= 16 MiB each) in memory, whatever its size.
 *  - Everything read is verified against its id (chunks, trees, SDDL, manifests).
 * Not guaranteed: dedup against chunks another writer is storing at the same moment (they may be
 * stored twice). Callers must `flush` before handing chunk ids to another process.
 */
const node_crypto_1 = require("node:crypto");
const content_hash_1 = require("../chunking/content-hash");
const stream_chunker_1 = require("../chunking/stream-chunker");
const fastcdc_1 = require("../chunking/fastcdc");
const chunk_index_1 = require("./chunk-index");
const codec_common_1 = require("./codec-common");
const codec_tree_1 = require("./codec-tree");
const errors_1 = require("./errors");
const layout_1 = require("./layout");
const object_store_1 = require("./object-store");
const pack_writer_1 = require("./pack-writer");
const snapshots_1 = require("./snapshots");
const pack_reader_1 = require("./pack-reader");
const sha256 = (data) => (0, node_crypto_1.createHash)("sha256").update(data).digest("hex");
/** Chunks read ahead while a file is read back (each up to 8 MiB). */
const READ_AHEAD = 3;
class Repository {
    store;
    index;
    writer;
    snapshots;
    knownTrees = new Set();
    knownSddl = new Set();
    stats = { chunksAdded: 0, bytesAdded: 0, chunksDeduplicated: 0, treesWritten: 0, sddlWritten: 0 };
    constructor(store, options) {
        this.store = store;
        this.index = new chunk_index_1.ChunkIndex(store, options);
        this.writer = new pack_writer_1.PackWriter(store, this.index, options);
        this.snapshots = new snapshots_1.Snapshots(store);
    }
    /** Opens the repository in `store`, initializing it if empty; refuses one written in another format. */
    static async open(store, options = {}) {
        const mine = { format: codec_common_1.FORMAT_VERSION, chunker: fastcdc_1.CHUNKER_NAME };
        let existing = await (0, object_store_1.readAll)(store, layout_1.CONFIG_KEY).catch((err) => {
            if (err instanceof errors_1.NotFoundError)
                return undefined;
            throw err;
        });
        if (existing === undefined && !(await (0, object_store_1.putIfAbsent)(store, layout_1.CONFIG_KEY, Buffer.from(JSON.stringify(mine) + "\n"))))
            existing = await (0, object_store_1.readAll)(store, layout_1.CONFIG_KEY);
        if (existing !== undefined) {
            let found;
            try {
                found = JSON.parse(existing.toString("utf8"));
            }
            catch (err) {
                throw new errors_1.RepositoryCorruptError("the config blob is not valid JSON", { cause: err });
            }
            if (typeof found.format !== "number" || found.format > codec_common_1.FORMAT_VERSION)
                throw new errors_1.UnsupportedFormatError("the repository", Number(found.format), codec_common_1.FORMAT_VERSION);
            if (found.chunker !== fastcdc_1.CHUNKER_NAME)
                throw new Error(`the repository was chunked with ${JSON.stringify(found.chunker)}; this version of afb chunks with ${fastcdc_1.CHUNKER_NAME}`);
        }
        return new Repository(store, options);
    }
    get packStats() {
        return this.writer.stats;
    }
    async hasChunk(id) {
        return this.writer.pending(id) !== undefined || (await this.index.lookup(id)) !== undefined;
    }
    /** Stores one chunk unless the repository has it; `added` says whether its bytes were new. */
    async putChunk(data, id = (0, content_hash_1.chunkId)(data).toString("hex")) {
        if (await this.hasChunk(id)) {
            this.stats.chunksDeduplicated++;
            return { id, added: false };
        }
        await this.writer.add(id, data);
        this.stats.chunksAdded++;
        this.stats.bytesAdded += data.length;
        return { id, added: true };
    }
    /** A chunk's bytes, verified against its id. */
    async getChunk(id) {
        (0, codec_common_1.hashBytes)(id, "chunk id");
        const pending = this.writer.pending(id);
        if (pending !== undefined)
            return pending;
        const at = await this.index.lookup(id);
        if (at === undefined)
            throw new errors_1.NotFoundError(`chunk ${id}`);
        const data = await (0, object_store_1.readAll)(this.store, (0, layout_1.packKey)(at.pack), { offset: at.offset, length: at.length });
        if (data.length !== at.length || sha256(data) !== id)
            throw new errors_1.RepositoryCorruptError(`chunk ${id} in pack ${at.pack} does not match its id`);
        return data;
    }
    /** Chunks, hashes and stores a file's content as it streams by. */
    async storeFile(source) {
        const chunks = [];
        const ids = [];
        let size = 0;
        let chunksAdded = 0;
        let bytesAdded = 0;
        for await (const data of (0, stream_chunker_1.chunkStream)(source)) {
            const raw = (0, content_hash_1.chunkId)(data);
            const { id, added } = await this.putChunk(data, raw.toString("hex"));
            chunks.push({ id, length: data.length });
            ids.push(raw);
            size += data.length;
            if (added) {
                chunksAdded++;
                bytesAdded += data.length;
            }
        }
        return { size, digest: (0, content_hash_1.contentDigest)(ids).toString("hex"), chunks, chunksAdded, bytesAdded };
    }
    /** Streams a file's content back, chunk by chunk, reading a few chunks ahead. */
    async *readFile(chunks) {
        const ahead = [];
        let next = 0;
        const fill = () => {
            while (ahead.length < READ_AHEAD && next < chunks.length) {
                const p = this.getChunk(chunks[next++].id);
                p.catch(() => undefined);
                ahead.push(p);
            }
        };
        fill();
        while (ahead.length > 0) {
            const data = await ahead.shift();
            fill();
            yield data;
        }
    }
    /** Makes every chunk stored so far durable and indexed. */
    async flush() {
        await this.writer.flush();
    }
    /** Stores a directory; an unchanged directory has the same id and costs no write. */
    async putTree(tree) {
        const bytes = (0, codec_tree_1.encodeTree)(tree);
        const id = sha256(bytes);
        const written = await this.putOnce(this.knownTrees, (0, layout_1.treeKey)(id), id, bytes);
        if (written)
            this.stats.treesWritten++;
        return { id, written };
    }
    async getTree(id) {
        return (0, codec_tree_1.decodeTree)(await this.readVerified((0, layout_1.treeKey)(id), id, "tree"));
    }
    /** Stores an SDDL string once; its id is the SHA-256 of its UTF-8 bytes. */
    async putSddl(sddl) {
        if (typeof sddl !== "string" || sddl === "")
            throw new Error("SDDL must be a non-empty string");
        const bytes = Buffer.from(sddl, "utf8");
        const id = sha256(bytes);
        if (await this.putOnce(this.knownSddl, (0, layout_1.sddlKey)(id), id, bytes))
            this.stats.sddlWritten++;
        return id;
    }
    async getSddl(id) {
        return (await this.readVerified((0, layout_1.sddlKey)(id), id, "SDDL")).toString("utf8");
    }
    /** Flushes pending chunks, then writes the manifest: a snapshot never references missing data. */
    async putSnapshot(manifest) {
        await this.flush();
        return this.snapshots.put(manifest);
    }
    listSnapshots(share, range = {}) {
        return this.snapshots.list(share, range);
    }
    getSnapshot(ref) {
        return this.snapshots.get(ref);
    }
    async *listPacks() {
        for await (const item of (0, object_store_1.listAll)(this.store, layout_1.PACKS_PREFIX)) {
            const id = (0, layout_1.idFromKey)(item.key, layout_1.PACKS_PREFIX);
            if (id !== undefined)
                yield { id, size: item.size };
        }
    }
    /** The chunk entries of a pack, read from its own trailer (two range reads). */
    packEntries(pack) {
        return (0, pack_reader_1.readPackEntries)(this.store, pack);
    }
    /**
     * Rebuilds the chunk index from the packs alone: writes the L0 index blob of every pack that has
     * none (all of them when the index was lost), then compacts. Safe to run next to writers.
     */
    async rebuildIndex() {
        let packsIndexed = 0;
        const indexed = await this.index.indexedPacks();
        for await (const pack of this.listPacks()) {
            if (indexed.has(pack.id))
                continue;
            await this.index.addPack(pack.id, await (0, pack_reader_1.readPackEntries)(this.store, pack));
            packsIndexed++;
        }
        return { packsIndexed, compaction: await this.index.compact() };
    }
    /** Merges the per-pack index blobs into the shard runs (see ChunkIndex.compact). */
    compactIndex(minPackIndexes) {
        return this.index.compact(minPackIndexes);
    }
    async putOnce(known, key, id, bytes) {
        if (known.has(id))
            return false;
        const written = (await this.store.head(key)) === undefined && (await (0, object_store_1.putIfAbsent)(this.store, key, bytes));
        known.add(id);
        return written;
    }
    async readVerified(key, id, what) {
        if (!(0, codec_common_1.isHexHash)(id))
            throw new Error(`${what} id must be 64 lowercase hex digits, got ${JSON.stringify(id)}`);
        const bytes = await (0, object_store_1.readAll)(this.store, key);
        if (sha256(bytes) !== id)
            throw new errors_1.RepositoryCorruptError(`${what} ${id} does not match its id`);
        return bytes;
    }
}
exports.Repository = Repository;
//# sourceMappingURL=repository.js.map