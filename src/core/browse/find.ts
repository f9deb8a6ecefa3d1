/**
 * Which snapshots hold a path matching a glob ("*" any run of characters except "/", "**" any run
 * including "/", "?" one character; case-sensitive). A pattern without "/" is matched against
 * names, one with "/" against whole paths from the share root. Every distinct tree is read and
 * matched once, however many snapshots share it (its matches are kept relative to it), so the cost
 * follows the distinct trees of the repository, not snapshots x files.
 */
import type { SnapshotRef } from "../repository/layout";
import type { HexHash, SnapshotManifest, Tree } from "../repository/model";

export interface FindMatch {
  readonly snapshot: SnapshotRef;
  readonly path: string;
  readonly type: "file" | "dir";
  readonly size: number;
  /** Microseconds since the epoch. */
  readonly lastWriteTime: number;
}

export interface FindSource {
  listSnapshots(share?: string): AsyncIterable<SnapshotRef>;
  getSnapshot(ref: SnapshotRef): Promise<SnapshotManifest>;
  getTree(id: HexHash): Promise<Tree>;
}

/** The glob as a RegExp anchored at both ends. */
export function globRegExp(pattern: string): RegExp {
  if (pattern === "") throw new Error("the find pattern is empty");
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}

type Relative = Omit<FindMatch, "snapshot">;

export async function findPaths(repo: FindSource, pattern: string, share?: string): Promise<FindMatch[]> {
  const re = globRegExp(pattern.replace(/^\/+/, ""));
  const byPath = pattern.includes("/");
  const memo = new Map<HexHash, Promise<Relative[]>>();
  // Matches below a tree, with paths relative to it; only name patterns can be shared between places.
  const below = (id: HexHash, at: string): Promise<Relative[]> => {
    if (!byPath && memo.has(id)) return memo.get(id)!;
    const p = (async () => {
      const tree = await repo.getTree(id);
      const out: Relative[] = [];
      const rel = (name: string) => (byPath ? (at === "" ? name : `${at}/${name}`) : name);
      const test = (name: string) => re.test(byPath ? (at === "" ? name : `${at}/${name}`) : name);
      for (const f of tree.files) if (test(f.name)) out.push({ path: rel(f.name), type: "file", size: f.size, lastWriteTime: f.lastWriteTime });
      for (const d of tree.directories) {
        if (test(d.name)) out.push({ path: rel(d.name), type: "dir", size: d.totalSize, lastWriteTime: d.lastWriteTime });
        for (const m of await below(d.tree, byPath ? (at === "" ? d.name : `${at}/${d.name}`) : "")) out.push(byPath ? m : { ...m, path: `${d.name}/${m.path}` });
      }
      return out;
    })();
    if (!byPath) memo.set(id, p);
    return p;
  };
  const out: FindMatch[] = [];
  for await (const ref of repo.listSnapshots(share)) {
    const root = (await repo.getSnapshot(ref)).root;
    for (const m of await below(root.tree, "")) out.push({ ...m, snapshot: ref });
  }
  return out;
}
