/**
 * Share snapshots, copy-on-write. Creating one writes a manifest of the share's entry records (names,
 * ids, properties and each file's content version `ver`) and copies no file bytes. Bytes are kept by
 * the live share instead: before a file's content changes, if a snapshot captured its current version,
 * the old bytes are preserved as versions/<id>.<ver> (see share-store). A snapshot reads a file from
 * that preserved copy or, when the live file still has the captured version, from the live file.
 *
 * Layout under the share's sidecar directory: snapshots/index.json (small list), snapshots/<name>.jsonl
 * (one manifest per snapshot, 1,000 entries a line), versions/<id>.<ver>.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Errors } from "../errors";
import type { Entry } from "./entry";
import { TreeIndex } from "./tree";

export const MAX_SNAPSHOTS = 200;

export interface SnapshotInfo {
  readonly name: string; // x-ms-snapshot value, ISO with 7 fractional digits
  readonly seq: number; // share sequence at creation: writes with a higher sequence are not in it
  readonly createdMs: number;
  readonly etag: string;
  readonly meta: Readonly<Record<string, string>>;
}

export class SnapshotStore {
  private infos: SnapshotInfo[] = [];
  private readonly views = new Map<string, TreeIndex>();
  private readonly dir: string;
  readonly versionsDir: string;
  /** `<id>.<ver>` of every preserved file version. */
  readonly preserved = new Set<string>();

  constructor(metaDir: string) {
    this.dir = join(metaDir, "snapshots");
    this.versionsDir = join(metaDir, "versions");
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(this.versionsDir, { recursive: true });
    const index = join(this.dir, "index.json");
    if (existsSync(index)) this.infos = JSON.parse(readFileSync(index, "utf8")) as SnapshotInfo[];
    for (const name of readdirSync(this.versionsDir)) if (!name.endsWith(".tmp")) this.preserved.add(name);
  }

  list(): readonly SnapshotInfo[] {
    return this.infos;
  }

  latestSeq(): number {
    return this.infos.length ? this.infos[this.infos.length - 1].seq : -1;
  }

  find(name: string): SnapshotInfo {
    const info = this.infos.find((s) => s.name === name);
    if (!info) throw Errors.shareSnapshotNotFound();
    return info;
  }

  private saveIndex(): void {
    const index = join(this.dir, "index.json");
    writeFileSync(`${index}.tmp`, JSON.stringify(this.infos));
    renameSync(`${index}.tmp`, index);
  }

  create(info: SnapshotInfo, entries: readonly Entry[]): void {
    if (this.infos.length >= MAX_SNAPSHOTS) throw Errors.shareSnapshotCountExceeded();
    const lines: string[] = [];
    for (let i = 0; i < entries.length; i += 1000) lines.push(JSON.stringify(entries.slice(i, i + 1000)));
    writeFileSync(join(this.dir, `${info.name}.jsonl`), lines.join("\n") + "\n");
    this.infos.push(info);
    this.saveIndex();
    this.views.set(info.name, new TreeIndex(new Map(entries.map((e) => [e.id, e]))));
  }

  /** The snapshot's frozen tree (manifest loaded on first use). */
  view(name: string): TreeIndex {
    this.find(name);
    let tree = this.views.get(name);
    if (!tree) {
      const byId = new Map<string, Entry>();
      for (const line of readFileSync(join(this.dir, `${name}.jsonl`), "utf8").split("\n")) {
        if (line) for (const e of JSON.parse(line) as Entry[]) byId.set(e.id, e);
      }
      tree = new TreeIndex(byId);
      this.views.set(name, tree);
    }
    return tree;
  }

  /** Deletes a snapshot and the preserved versions no remaining snapshot refers to. */
  delete(name: string): void {
    this.find(name);
    this.infos = this.infos.filter((s) => s.name !== name);
    this.saveIndex();
    this.views.delete(name);
    rmSync(join(this.dir, `${name}.jsonl`), { force: true });
    const keep = new Set<string>();
    for (const s of this.infos) {
      for (const e of this.view(s.name).byId.values()) if (e.kind === "f") keep.add(`${e.id}.${e.ver}`);
    }
    for (const v of [...this.preserved]) {
      if (!keep.has(v)) {
        rmSync(join(this.versionsDir, v), { force: true });
        this.preserved.delete(v);
      }
    }
  }
}
