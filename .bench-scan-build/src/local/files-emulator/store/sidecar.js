"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Sidecar = void 0;
/**
 * The sidecar of one share: an append-only log of entry records (JSON lines), replayed into memory at
 * open and compacted then when it has grown to more than twice the live records. One change appends
 * one line (a batch of puts and deletes plus the share's counters), so a share with 100,000+ entries
 * never rewrites a big file per request. A torn last line (crash mid-append) is ignored at replay.
 *
 * One line: {"q": last sequence, "n": next FileId counter, "e": [entries put], "d": [ids deleted]}.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
class Sidecar {
    entries = new Map();
    seq = 0;
    nextId = 1;
    file;
    constructor(dir) {
        (0, node_fs_1.mkdirSync)(dir, { recursive: true });
        this.file = (0, node_path_1.join)(dir, "entries.log");
        this.load();
    }
    load() {
        if (!(0, node_fs_1.existsSync)(this.file))
            return;
        const text = (0, node_fs_1.readFileSync)(this.file, "utf8");
        let lines = 0;
        for (const line of text.split("\n")) {
            if (line === "")
                continue;
            let parsed;
            try {
                parsed = JSON.parse(line);
            }
            catch {
                continue; // torn tail of an interrupted append
            }
            lines++;
            this.seq = Math.max(this.seq, parsed.q);
            this.nextId = Math.max(this.nextId, parsed.n);
            for (const e of parsed.e ?? [])
                this.entries.set(e.id, e);
            for (const id of parsed.d ?? [])
                this.entries.delete(id);
        }
        if (lines > 2 * this.entries.size + 1000)
            this.compact();
    }
    /** Rewrites the log as one line per 1,000 live entries (write to a temp file, then rename). */
    compact() {
        const all = [...this.entries.values()];
        const out = [];
        for (let i = 0; i < Math.max(all.length, 1); i += 1000) {
            out.push(JSON.stringify({ q: this.seq, n: this.nextId, e: all.slice(i, i + 1000) }));
        }
        const tmp = `${this.file}.tmp`;
        (0, node_fs_1.writeFileSync)(tmp, out.join("\n") + "\n");
        (0, node_fs_1.renameSync)(tmp, this.file);
    }
    /** Applies and persists one batch. */
    commit(put, del = []) {
        if (put.length === 0 && del.length === 0)
            return;
        for (const e of put)
            this.entries.set(e.id, e);
        for (const id of del)
            this.entries.delete(id);
        const line = { q: this.seq, n: this.nextId };
        if (put.length)
            line.e = [...put];
        if (del.length)
            line.d = [...del];
        (0, node_fs_1.appendFileSync)(this.file, JSON.stringify(line) + "\n");
    }
}
exports.Sidecar = Sidecar;
//# sourceMappingURL=sidecar.js.map