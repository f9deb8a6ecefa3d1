/**
 * The sidecar of one share: an append-only log of entry records (JSON lines), replayed into memory at
 * open. One change appends one line (a batch of puts and deletes plus the share's counters), so a share
 * with 100,000+ entries never rewrites a big file per request; the log is compacted (rewritten as the
 * live records, temp file then rename) at open when it holds over twice the live records, and during a
 * run when it holds over four times as many plus 10,000 lines. A torn last line (crash mid-append) is ignored at replay.
 *
 * One line: {"q": last sequence, "n": next FileId counter, "e": [entries put], "d": [ids deleted]}.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "./entry";

interface LogLine {
  q: number;
  n: number;
  e?: Entry[];
  d?: string[];
}

export class Sidecar {
  readonly entries = new Map<string, Entry>();
  seq = 0;
  nextId = 1;
  private readonly file: string;
  /** Lines in the log file now (compaction resets it). */
  private lines = 0;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, "entries.log");
    this.load();
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    const text = readFileSync(this.file, "utf8");
    let lines = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        continue; // torn tail of an interrupted append
      }
      lines++;
      this.seq = Math.max(this.seq, parsed.q);
      this.nextId = Math.max(this.nextId, parsed.n);
      for (const e of parsed.e ?? []) this.entries.set(e.id, e);
      for (const id of parsed.d ?? []) this.entries.delete(id);
    }
    this.lines = lines;
    if (lines > 2 * this.entries.size + 1000) this.compact();
  }

  /** Rewrites the log as one line per 1,000 live entries (write to a temp file, then rename). */
  compact(): void {
    const all = [...this.entries.values()];
    const out: string[] = [];
    for (let i = 0; i < Math.max(all.length, 1); i += 1000) {
      out.push(JSON.stringify({ q: this.seq, n: this.nextId, e: all.slice(i, i + 1000) }));
    }
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, out.join("\n") + "\n");
    renameSync(tmp, this.file);
    this.lines = out.length;
  }

  /** Applies and persists one batch. */
  commit(put: readonly Entry[], del: readonly string[] = []): void {
    if (put.length === 0 && del.length === 0) return;
    for (const e of put) this.entries.set(e.id, e);
    for (const id of del) this.entries.delete(id);
    const line: LogLine = { q: this.seq, n: this.nextId };
    if (put.length) line.e = [...put];
    if (del.length) line.d = [...del];
    appendFileSync(this.file, JSON.stringify(line) + "\n");
    // A long run of updates (e.g. many Put Ranges) is folded back into one record per entry.
    if (++this.lines > 4 * this.entries.size + 10_000) this.compact();
  }
}
