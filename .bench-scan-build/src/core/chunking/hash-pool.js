"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HashPool = void 0;
/**
 * SHA-256 on other cores: a small pool of worker threads that hash byte ranges, so that one thread
 * can find cut points while others hash (on one thread the two run in sequence at about half the
 * speed of SHA-256 alone). Ranges of a SharedArrayBuffer are hashed in place; other buffers are
 * copied into the message.
 *
 * Guarantees: results equal `chunkId` of the same bytes; requests are answered in any order but each
 * promise gets its own digest; an idle pool does not keep the process alive, a busy one does; `close()` ends every worker and rejects requests still pending.
 * The caller must not modify a shared range until its promise settles.
 */
const node_worker_threads_1 = require("node:worker_threads");
// Plain JavaScript evaluated by each worker (eval: true), so it runs the same from ts-jest and dist.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
parentPort.on("message", (m) => {
  const view = new Uint8Array(m.buffer, m.offset, m.length);
  const digest = createHash("sha256").update(view).digest();
  parentPort.postMessage({ id: m.id, digest: new Uint8Array(digest.buffer, digest.byteOffset, digest.length) });
});
`;
class HashPool {
    workers = [];
    pending = new Map();
    nextId = 0;
    nextWorker = 0;
    closed = false;
    constructor(size) {
        if (!Number.isInteger(size) || size < 1)
            throw new Error(`HashPool size must be a positive integer, got ${size}`);
        for (let i = 0; i < size; i++) {
            const w = new node_worker_threads_1.Worker(WORKER_SOURCE, { eval: true });
            w.on("message", (m) => {
                const p = this.pending.get(m.id);
                this.pending.delete(m.id);
                if (this.pending.size === 0)
                    this.setBusy(false);
                p?.resolve(Buffer.from(m.digest.buffer, m.digest.byteOffset, m.digest.length));
            });
            w.on("error", (err) => this.failAll(err));
            w.unref();
            this.workers.push(w);
        }
    }
    /** SHA-256 of `view` (in place when it lives in a SharedArrayBuffer). */
    hash(view) {
        if (this.closed)
            return Promise.reject(new Error("HashPool is closed"));
        const id = this.nextId++;
        const worker = this.workers[this.nextWorker];
        this.nextWorker = (this.nextWorker + 1) % this.workers.length;
        return new Promise((resolve, reject) => {
            if (this.pending.size === 0)
                this.setBusy(true);
            this.pending.set(id, { resolve, reject });
            if (view.buffer instanceof SharedArrayBuffer) {
                worker.postMessage({ id, buffer: view.buffer, offset: view.byteOffset, length: view.length });
            }
            else {
                const copy = new Uint8Array(view);
                worker.postMessage({ id, buffer: copy.buffer, offset: 0, length: copy.length }, [copy.buffer]);
            }
        });
    }
    async close() {
        this.closed = true;
        this.failAll(new Error("HashPool closed before the hash was computed"));
        await Promise.all(this.workers.map((w) => w.terminate()));
    }
    failAll(err) {
        for (const p of this.pending.values())
            p.reject(err);
        this.pending.clear();
        this.setBusy(false);
    }
    /** Busy workers keep the process alive (it must not exit with hashes pending); idle ones do not. */
    setBusy(busy) {
        for (const w of this.workers) {
            if (busy)
                w.ref();
            else
                w.unref();
        }
    }
}
exports.HashPool = HashPool;
//# sourceMappingURL=hash-pool.js.map