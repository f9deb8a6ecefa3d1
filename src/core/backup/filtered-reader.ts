/**
 * A ShareReader that shows only what a share's include/exclude patterns select (src/core/registry/
 * glob.ts): an entry whose path matches an exclude pattern is hidden, a hidden directory hides its
 * subtree; with include patterns, a file is shown only when its path matches one of them (directories
 * are still walked, so `docs/**` and `*.pdf` work at any depth). Scan and sealing both read through
 * it, so they agree on what exists; reading a hidden path directly is not prevented (nothing does).
 * Guarantees: patterns are compiled once (a bad one throws GlobError naming why); snapshots of a
 * filtered reader are filtered the same way; changed-range reads pass through when the inner reader
 * offers them.
 */
import type { EntryKind, ReadRange, ShareEntry, ShareReader } from "../ports/share-reader";
import { compileGlob } from "../registry/glob";
import { childPath } from "../scan/records";
import type { ChangedRange, RangeDiffReader } from "./changed-ranges";

export interface SelectionPatterns {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

interface Compiled {
  readonly include: readonly RegExp[];
  readonly exclude: readonly RegExp[];
}

export class FilteredShareReader implements ShareReader {
  protected constructor(
    protected readonly inner: ShareReader,
    private readonly patterns: Compiled,
  ) {}

  private static wrap(inner: ShareReader, patterns: Compiled): ShareReader {
    return typeof (inner as Partial<RangeDiffReader>).getChangedRanges === "function" ? new FilteredRangeReader(inner, patterns) : new FilteredShareReader(inner, patterns);
  }

  /** `inner` itself when there is nothing to filter. */
  static of(inner: ShareReader, patterns: SelectionPatterns): ShareReader {
    if (patterns.include.length === 0 && patterns.exclude.length === 0) return inner;
    return FilteredShareReader.wrap(inner, { include: patterns.include.map(compileGlob), exclude: patterns.exclude.map(compileGlob) });
  }

  get description(): string {
    return this.inner.description;
  }

  get snapshot(): string | undefined {
    return this.inner.snapshot;
  }

  /** Whether the entry at `path` is part of the backup. */
  selects(path: string, kind: ShareEntry["kind"]): boolean {
    if (this.patterns.exclude.some((re) => re.test(path))) return false;
    return kind === "dir" || this.patterns.include.length === 0 || this.patterns.include.some((re) => re.test(path));
  }

  getDirectory(path: string): Promise<ShareEntry> {
    return this.inner.getDirectory(path);
  }

  async *listDirectory(path: string): AsyncIterable<ShareEntry> {
    for await (const e of this.inner.listDirectory(path)) if (this.selects(childPath(path, e.name), e.kind)) yield e;
  }

  openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    return this.inner.openFile(path, range);
  }

  getPermission(permissionKey: string): Promise<string> {
    return this.inner.getPermission(permissionKey);
  }

  createSnapshot(): Promise<string> {
    return this.inner.createSnapshot();
  }

  deleteSnapshot(snapshot: string): Promise<void> {
    return this.inner.deleteSnapshot(snapshot);
  }

  getUserMetadata(path: string, kind: EntryKind): Promise<Record<string, string>> {
    return this.inner.getUserMetadata === undefined ? Promise.resolve({}) : this.inner.getUserMetadata(path, kind);
  }

  atSnapshot(snapshot: string): ShareReader {
    return FilteredShareReader.wrap(this.inner.atSnapshot(snapshot), this.patterns);
  }
}

/** The filtered reader of a reader that can list changed ranges. */
class FilteredRangeReader extends FilteredShareReader implements RangeDiffReader {
  getChangedRanges(path: string, previousSnapshot: string): Promise<readonly ChangedRange[]> {
    return (this.inner as ShareReader & RangeDiffReader).getChangedRanges(path, previousSnapshot);
  }
}
