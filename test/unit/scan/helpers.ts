/**
 * Helpers of the scanner tests: a ShareReader decorator that counts content reads and can run a hook
 * before a listing, a dump of the index as paths, and scan-and-apply in one call.
 */
import type { ReadRange, ShareEntry, ShareReader } from "../../../src/core/ports/share-reader";
import type { IndexOp, NodeIndex, NodeRecord, WriteResult } from "../../../src/core/ports/node-index";
import { scanShare, ROOT_PARENT, type ScanOptions } from "../../../src/core/scan/scanner";
import { applyChangeSet, type ChangeSet } from "../../../src/core/scan/change-set";

/**
 * Counts files opened and bytes read; `beforeList` runs before each listing (to change the share
 * mid-scan). A reader of a share snapshot made by `atSnapshot` counts into the reader it came from,
 * so a backup (which reads from its share snapshot) is counted where the test looks.
 */
export class CountingReader implements ShareReader {
  opened = 0;
  bytesRead = 0;
  listed: string[] = [];
  beforeList: ((path: string) => Promise<void>) | undefined;

  /** Forwarded when the wrapped reader has it (Azure Files), so trees keep their user metadata. */
  readonly getUserMetadata?: ShareReader["getUserMetadata"];

  constructor(
    private readonly inner: ShareReader,
    private readonly counts?: CountingReader,
  ) {
    if (inner.getUserMetadata !== undefined) this.getUserMetadata = inner.getUserMetadata.bind(inner);
  }

  private get tally(): CountingReader {
    return this.counts ?? this;
  }
  get description(): string {
    return this.inner.description;
  }
  get snapshot(): string | undefined {
    return this.inner.snapshot;
  }
  getDirectory(path: string): Promise<ShareEntry> {
    return this.inner.getDirectory(path);
  }
  async *listDirectory(path: string): AsyncIterable<ShareEntry> {
    const tally = this.tally;
    if (tally.beforeList) await tally.beforeList(path);
    tally.listed.push(path);
    yield* this.inner.listDirectory(path);
  }
  async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    const tally = this.tally;
    tally.opened++;
    for await (const chunk of this.inner.openFile(path, range)) {
      tally.bytesRead += chunk.length;
      yield chunk;
    }
  }
  getPermission(key: string): Promise<string> {
    return this.inner.getPermission(key);
  }
  createSnapshot(): Promise<string> {
    return this.inner.createSnapshot();
  }
  deleteSnapshot(s: string): Promise<void> {
    return this.inner.deleteSnapshot(s);
  }
  atSnapshot(s: string): ShareReader {
    return new CountingReader(this.inner.atSnapshot(s), this.tally);
  }
}

/** Counts the operations written through it; `failAfter` makes the n+1-th bulk fail (a crash mid-apply). */
/** Runs `during(path)` once, when a file is opened (a live share changing while it is read). */
export class MeddlingReader extends CountingReader {
  during: ((path: string) => Promise<void>) | undefined;

  override async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    const hook = this.during;
    this.during = undefined;
    if (hook !== undefined) await hook(path);
    yield* super.openFile(path, range);
  }
}

export class CountingIndex implements NodeIndex {
  upserts = 0;
  deletes = 0;
  bulks = 0;
  /** Children listings asked for. */
  queries = 0;
  /** The parents of the children listings asked for, besides the root's pseudo parent "0". */
  queried: string[] = [];
  failAfter: number | undefined;

  constructor(readonly inner: NodeIndex) {}

  get description(): string {
    return this.inner.description;
  }
  listChildren(shareId: string, parent: string): AsyncIterable<NodeRecord> {
    this.queries++;
    if (parent !== "0") this.queried.push(parent);
    return this.inner.listChildren(shareId, parent);
  }
  /** Parents whose sealed child directories were asked for. */
  sealedQueried: string[] = [];
  get listSealedChildren(): NodeIndex["listSealedChildren"] {
    const inner = this.inner.listSealedChildren?.bind(this.inner);
    return inner === undefined ? undefined : (shareId: string, parent: string) => (this.sealedQueried.push(parent), inner(shareId, parent));
  }
  get(shareId: string, key: { parentFileId: string; fileId: string }) {
    return this.inner.get(shareId, key);
  }
  findByFileId(shareId: string, fileId: string) {
    return this.inner.findByFileId(shareId, fileId);
  }
  hasShare(shareId: string): Promise<boolean> {
    return this.inner.hasShare ? this.inner.hasShare(shareId) : Promise.resolve(true);
  }
  async write(shareId: string, ops: readonly IndexOp[]): Promise<WriteResult> {
    if (this.failAfter !== undefined && this.bulks >= this.failAfter) throw new Error("simulated crash during apply");
    this.bulks++;
    const r = await this.inner.write(shareId, ops);
    this.upserts += r.upserts;
    this.deletes += r.deletes;
    return r;
  }
  reset(): void {
    this.upserts = this.deletes = this.bulks = 0;
  }
}

/** The index as `path -> "kind fileId size [fingerprint]"`, walked from the root (what a restore would see). */
export async function dumpIndex(index: NodeIndex, shareId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [p, r] of Object.entries(await indexRecords(index, shareId))) out[p] = `${r.kind} ${r.fileId} ${r.size}${r.fingerprint ? ` ${r.fingerprint}` : ""}`;
  return out;
}

/** Every record of a share's index by path ("/", "/docs", "/docs/a.txt"), with every field the index keeps. */
export async function indexRecords(index: NodeIndex, shareId: string): Promise<Record<string, NodeRecord>> {
  const out: Record<string, NodeRecord> = {};
  const stack: Array<[string, string]> = [[ROOT_PARENT, ""]];
  while (stack.length > 0) {
    const [fileId, path] = stack.pop() as [string, string];
    for await (const r of index.listChildren(shareId, fileId)) {
      const p = path === "" ? "/" : path === "/" ? `/${r.name}` : `${path}/${r.name}`;
      if (p in out) throw new Error(`index holds ${p} twice`);
      out[p] = r;
      if (r.kind === "dir") stack.push([r.fileId, p]);
    }
  }
  return out;
}

/** Counts per kind, for compact assertions. */
export function countsOf(cs: ChangeSet): Record<string, number> {
  const { added, modified, renamed, moved, deleted, metadataOnly } = cs.stats;
  return { added, modified, renamed, moved, deleted, metadataOnly };
}

/** Paths of the changes of one kind, sorted. */
export function pathsOf(cs: ChangeSet, kind: string): string[] {
  return cs.changes.filter((c) => c.kinds.includes(kind as never)).map((c) => c.path).sort();
}

let clock = 0;
/** Scans and applies; returns the change set and the index writes it cost. */
export async function sync(opts: Omit<ScanOptions, "now"> & { index: CountingIndex }): Promise<{ cs: ChangeSet; writes: number }> {
  const cs = await scanShare({ ...opts, now: () => (clock += 1) });
  opts.index.reset();
  await applyChangeSet(opts.index, cs);
  return { cs, writes: opts.index.upserts + opts.index.deletes };
}
