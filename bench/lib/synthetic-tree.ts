/**
 * A synthetic share for orchestration tests and benchmarks: `dirs` directories numbered 0..dirs-1 in
 * a complete `fanout`-ary tree (directory i's children are i*fanout+1 .. i*fanout+fanout), with a
 * deterministic number of files and bytes per directory. Listing it costs nothing, so what is
 * measured is the orchestration and the driver, not storage.
 */
export interface SyntheticTree {
  readonly dirs: number;
  readonly fanout: number;
  readonly rootDirId: string;
  children(dirId: string): string[];
  filesOf(index: number): number;
  bytesOf(index: number): number;
  /** Totals over the whole tree, to compare with what a scan reports. */
  readonly totals: { readonly files: number; readonly bytes: number; readonly subdirs: number };
}

export function syntheticTree(dirs: number, fanout = 10): SyntheticTree {
  if (!Number.isInteger(dirs) || dirs < 1) throw new Error(`a synthetic tree needs at least one directory, got ${dirs}`);
  if (!Number.isInteger(fanout) || fanout < 1) throw new Error(`fanout must be a positive integer, got ${fanout}`);
  const filesOf = (i: number) => (i % 7) + 1;
  const bytesOf = (i: number) => filesOf(i) * (1000 + (i % 13) * 100);
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < dirs; i++) {
    files += filesOf(i);
    bytes += bytesOf(i);
  }
  return {
    dirs,
    fanout,
    rootDirId: "d0",
    children(dirId) {
      const i = Number(dirId.slice(1));
      const out: string[] = [];
      for (let c = i * fanout + 1; c <= i * fanout + fanout && c < dirs; c++) out.push(`d${c}`);
      return out;
    },
    filesOf,
    bytesOf,
    totals: { files, bytes, subdirs: dirs - 1 },
  };
}
