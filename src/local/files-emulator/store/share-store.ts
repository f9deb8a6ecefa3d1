/**
 * One share: its real directory tree on disk, its sidecar (entry records by FileId), its snapshots
 * and its permissions. Guarantees:
 *  - FileIds are allocated once and kept across renames, moves and restarts.
 *  - Files and directories found on disk without a record are adopted (given a FileId) the first time
 *    their directory is visited; records whose item vanished from disk are dropped then.
 *  - Before a file's bytes change or go away, the version a snapshot captured is preserved
 *    (copy-on-write per file), so snapshots stay isolated from later writes.
 *  - Each write records the ranges it touched in the epoch after the latest snapshot, which makes
 *    Get Ranges diffs between snapshots, or a snapshot and the live file, exact.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { Errors } from "../errors";
import type { TickSource } from "../time";
import { isoTicks } from "../time";
import { Gate } from "./gate";
import { etagOf, ROOT_ID, type Entry, type Epoch } from "./entry";
import { PermissionStore, permissionKeyOf, DEFAULT_SDDL } from "./permissions";
import { normalise, union, subtract, clip, type Interval } from "./ranges";
import { SnapshotStore } from "./snapshots";
import { Sidecar } from "./sidecar";
import { resolveIn, TreeIndex } from "./tree";

export interface ShareProps {
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly etag: string;
  readonly quota: number;
  readonly meta: Readonly<Record<string, string>>;
}

const ID_BASE = 0xa000000000000000n;
// eslint-disable-next-line no-control-regex
const ADOPTABLE = /^[^"\\/:|<>*?\u0000]+$/;

export class ShareStore {
  readonly sidecar: Sidecar;
  readonly tree: TreeIndex;
  readonly snapshots: SnapshotStore;
  readonly perms: PermissionStore;
  /** Directory FileId -> its mtime when its children were last matched with the disk. */
  private readonly scanned = new Map<string, number>();
  private readonly preserving = new Map<string, Promise<void>>();
  /** `<parent id>/<name>` of names a mutation is changing on disk right now (reconcile leaves them be). */
  private readonly pending = new Map<string, number>();
  private propsCache: ShareProps;
  /** Content writes hold this shared; snapshot creation exclusively. */
  readonly gate = new Gate();

  constructor(
    readonly name: string,
    readonly root: string,
    private readonly metaDir: string,
    readonly ticks: TickSource,
  ) {
    mkdirSync(metaDir, { recursive: true });
    this.sidecar = new Sidecar(metaDir);
    this.snapshots = new SnapshotStore(metaDir);
    this.perms = new PermissionStore(metaDir);
    this.tree = new TreeIndex(this.sidecar.entries);
    const propsFile = join(metaDir, "share.json");
    if (existsSync(propsFile)) {
      this.propsCache = JSON.parse(readFileSync(propsFile, "utf8")) as ShareProps;
    } else {
      const now = ticks.next();
      this.propsCache = { createdMs: now.ms, modifiedMs: now.ms, etag: etagOf(0, now.ms), quota: 5120, meta: {} };
      this.saveProps(this.propsCache);
    }
    if (!this.tree.get(ROOT_ID)) {
      const st = lstatSync(root);
      this.commit([this.adopted(ROOT_ID, "0", "", "d", 0, st.birthtimeMs, st.mtimeMs, st.ctimeMs)]);
    }
  }

  get props(): ShareProps {
    return this.propsCache;
  }

  saveProps(props: ShareProps): void {
    this.propsCache = props;
    const file = join(this.metaDir, "share.json");
    writeFileSync(`${file}.tmp`, JSON.stringify(props));
    renameSync(`${file}.tmp`, file);
  }

  nextSeq(): number {
    return ++this.sidecar.seq;
  }

  newId(): string {
    return (ID_BASE + BigInt(this.sidecar.nextId++)).toString();
  }

  /**
   * Runs a mutation that creates, removes or renames the given names on disk; until it has committed,
   * a concurrent reconcile neither adopts nor drops them (it would race the mutation's own record).
   */
  async changing<T>(names: readonly (readonly [string, string])[], fn: () => Promise<T>): Promise<T> {
    const keys = names.map(([parent, name]) => `${parent}/${name}`);
    for (const k of keys) this.pending.set(k, (this.pending.get(k) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      for (const k of keys) {
        const n = (this.pending.get(k) ?? 1) - 1;
        if (n === 0) this.pending.delete(k);
        else this.pending.set(k, n);
      }
    }
  }

  commit(put: readonly Entry[], del: readonly string[] = []): void {
    // A record made by a mutation wins over one adopted for the same name meanwhile.
    const extra: string[] = [];
    for (const e of put) {
      const other = this.tree.child(e.parent, e.name);
      if (other && other.id !== e.id && !del.includes(other.id)) extra.push(...this.subtreeIds(other.id));
    }
    if (extra.length) del = [...del, ...extra];
    const dirs = new Set<string>();
    for (const id of del) dirs.add(this.tree.get(id)?.parent ?? "");
    for (const e of put) {
      dirs.add(e.parent);
      dirs.add(this.tree.get(e.id)?.parent ?? "");
    }
    for (const id of del) this.tree.remove(id);
    for (const e of put) this.tree.set(e);
    this.sidecar.commit(put, del);
    // Our own changes move directory mtimes too; note them so they do not force a rescan.
    for (const d of dirs) if (this.scanned.has(d) && this.tree.get(d)) this.scanned.set(d, this.dirMtime(d));
  }

  private dirMtime(dirId: string): number {
    try {
      return lstatSync(this.diskPath(dirId)).mtimeMs;
    } catch {
      return -1;
    }
  }

  diskPath(id: string): string {
    return join(this.root, ...this.tree.namesOf(id));
  }

  private adopted(id: string, parent: string, name: string, kind: "d" | "f", size: number, bMs: number, mMs: number, cMs: number): Entry {
    return {
      id, parent, name, kind, size,
      created: isoTicks(Math.floor(bMs || mMs)),
      written: isoTicks(Math.floor(mMs)),
      changed: isoTicks(Math.floor(cMs)),
      modifiedMs: Math.floor(mMs),
      etag: etagOf(this.sidecar.seq, Math.floor(mMs)),
      attrs: kind === "d" ? "Directory" : "Archive",
      permKey: permissionKeyOf(DEFAULT_SDDL),
      meta: {}, http: {}, ver: 0,
      data: size > 0 ? [[0, size]] : [],
      epochs: [],
    };
  }

  /**
   * Makes the records of a directory's children match the disk. Runs when the directory's mtime differs
   * from the one seen at the last match, so files written straight to disk are adopted at the next visit.
   */
  reconcile(dirId: string): void {
    const dirPath = this.diskPath(dirId);
    const mtime = lstatSync(dirPath).mtimeMs;
    if (this.scanned.get(dirId) === mtime) return;
    const onDisk = new Set<string>();
    const put: Entry[] = [];
    for (const d of readdirSync(dirPath, { withFileTypes: true })) {
      if (!ADOPTABLE.test(d.name) || (!d.isFile() && !d.isDirectory())) continue; // never follow symlinks
      onDisk.add(d.name);
      if (this.pending.has(`${dirId}/${d.name}`)) continue;
      if (this.tree.child(dirId, d.name)) continue;
      const st = lstatSync(join(dirPath, d.name));
      const kind = st.isDirectory() ? "d" : "f";
      put.push(this.adopted(this.newId(), dirId, d.name, kind, kind === "f" ? st.size : 0, st.birthtimeMs, st.mtimeMs, st.ctimeMs));
    }
    const gone = this.tree.childNames(dirId).filter((n) => !onDisk.has(n) && !this.pending.has(`${dirId}/${n}`)).map((n) => this.tree.child(dirId, n)?.id as string);
    const del = gone.flatMap((id) => this.subtreeIds(id));
    this.scanned.set(dirId, mtime);
    this.commit(put, del);
  }

  private subtreeIds(id: string): string[] {
    const out = [id];
    for (const n of this.tree.childNames(id)) out.push(...this.subtreeIds(this.tree.child(id, n)?.id as string));
    return out;
  }

  /** Visits every directory so the whole tree has records (before a snapshot). */
  reconcileAll(): void {
    const stack = [ROOT_ID];
    while (stack.length) {
      const id = stack.pop() as string;
      this.reconcile(id);
      for (const n of this.tree.childNames(id)) {
        const kid = this.tree.child(id, n);
        if (kid?.kind === "d") stack.push(kid.id);
      }
    }
  }

  resolve(names: readonly string[]): Entry {
    return resolveIn(this.tree, names, (d) => this.reconcile(d));
  }

  /** The directory that would hold `names` (for creates); its absence is ParentNotFound. */
  resolveParent(names: readonly string[]): Entry {
    try {
      const parent = this.resolve(names.slice(0, -1));
      if (parent.kind !== "d") throw Errors.parentNotFound();
      this.reconcile(parent.id);
      return parent;
    } catch (err) {
      if ((err as { code?: string }).code === "ResourceNotFound") throw Errors.parentNotFound();
      throw err;
    }
  }

  /** A changed copy of `e` with a fresh ETag and Last-Modified. */
  touched(e: Entry, patch: Partial<Entry>): Entry {
    const seq = this.nextSeq();
    const now = this.ticks.next();
    return { ...e, ...patch, etag: etagOf(seq, now.ms), modifiedMs: now.ms };
  }

  /** Records a content change over `ranges` (cleared or written) and, optionally, a new size. */
  contentChanged(e: Entry, ranges: readonly Interval[], cleared: boolean, size = e.size, patch: Partial<Entry> = {}): Entry {
    const ver = this.nextSeq();
    const after = this.snapshots.latestSeq();
    const oldest = this.snapshots.list()[0]?.seq ?? Infinity;
    const kept = e.epochs.filter((ep) => ep.after >= oldest);
    const last = kept[kept.length - 1];
    const epochs: Epoch[] = last && last.after === after
      ? [...kept.slice(0, -1), { after, ranges: union(last.ranges, ranges) }]
      : after >= 0 ? [...kept, { after, ranges: normalise([...ranges]) }] : kept;
    const data = clip(cleared ? subtract(e.data, ranges) : union(e.data, ranges), size);
    return this.touched(e, { ...patch, size, ver, data, epochs });
  }

  /**
   * Copy-on-write: keeps the bytes a snapshot captured before the live file changes. With `move` (the
   * live file is about to go away) the file itself becomes the preserved copy. Returns whether the live
   * file was moved away.
   */
  async preserve(e: Entry, move = false): Promise<boolean> {
    if (e.kind !== "f" || this.snapshots.latestSeq() < e.ver) return false;
    const key = `${e.id}.${e.ver}`;
    const pending = this.preserving.get(key);
    if (pending) await pending;
    if (this.preserved(key)) return false;
    const job = (async () => {
      const target = join(this.snapshots.versionsDir, key);
      if (move) {
        renameSync(this.diskPath(e.id), target);
      } else {
        await copyFile(this.diskPath(e.id), `${target}.tmp`);
        renameSync(`${target}.tmp`, target);
      }
      this.snapshots.preserved.add(key);
    })();
    this.preserving.set(key, job);
    try {
      await job;
    } finally {
      this.preserving.delete(key);
    }
    return move;
  }

  private preserved(key: string): boolean {
    return this.snapshots.preserved.has(key);
  }

  /** Where the bytes of `e` (a record from a snapshot, or the live record) are. */
  contentPath(e: Entry): string {
    const key = `${e.id}.${e.ver}`;
    if (this.preserved(key)) return join(this.snapshots.versionsDir, key);
    const live = this.tree.get(e.id);
    if (live && live.ver === e.ver) return this.diskPath(e.id);
    throw Errors.internalError();
  }
}
