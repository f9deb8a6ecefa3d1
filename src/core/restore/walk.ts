/**
 * Walks the part of a snapshot a restore selects, depth-first, in pre-order: a directory, then its
 * files, then its subdirectories; only the trees on the current path are in memory, plus, on each
 * level, the next READ_AHEAD subdirectories' trees being read ahead (a tree read is a request: read
 * one by one, they made the start of a restore wait on a chain of round trips). Every name is
 * checked against the target's rules (path-safety.ts), and so are collisions (two entries of one
 * directory with the same name, or names an SMB target would see as the same). A selection is a set
 * of paths from the share root; directories above a selected path are walked (and reported as not
 * selected) so that the restore can create them; everything below a selected directory is selected.
 */
import type { NameRules } from "../ports/share-writer";
import type { DirectoryNode, FileNode, HexHash, Tree } from "../repository/model";
import { SelectionNotFoundError, UnsafePathError } from "./errors";
import { childPath, collisionKey, nameProblem, parseSelectionPath } from "./path-safety";

/** What a restore reads from the repository (Repository has all of it). */
export interface SnapshotContent {
  getTree(id: HexHash): Promise<Tree>;
  readFile(chunks: FileNode["chunks"]): AsyncIterable<Buffer>;
  getSddl(id: HexHash): Promise<string>;
  /**
   * Many chunks at once, by id, with few requests (chunk-batch.ts), each as the slices it arrived in;
   * without it, small files are read one by one.
   */
  readChunks?(ids: readonly HexHash[]): Promise<Map<HexHash, readonly Buffer[]>>;
  /**
   * Starts loading what reading chunk `id` needs (the repository's chunk index), so that it happens
   * while the restore is still checking names rather than before its first read. Never rejects.
   */
  warmUp?(id: HexHash): Promise<void>;
}

export type WalkEvent =
  | { readonly kind: "dir"; readonly path: string; readonly node: DirectoryNode; readonly selected: boolean }
  | { readonly kind: "file"; readonly path: string; readonly dir: string; readonly node: FileNode };

/** Called for every unsafe name; when absent, the walk throws at the first one. */
export type ProblemSink = (path: string, problem: string) => void;

interface Selection {
  whole: boolean;
  readonly children: Map<string, Selection>;
}

/** The selection tree of PATH arguments; no argument (or "" or "/") selects everything. */
export function buildSelection(paths: readonly string[]): Selection {
  const root: Selection = { whole: paths.length === 0, children: new Map() };
  for (const raw of paths) {
    let at = root;
    for (const segment of parseSelectionPath(raw)) {
      let next = at.children.get(segment);
      if (next === undefined) at.children.set(segment, (next = { whole: false, children: new Map() }));
      at = next;
    }
    at.whole = true;
  }
  return root;
}

const WHOLE: Selection = { whole: true, children: new Map() };

/** Subdirectory trees read ahead on each level of the walk. */
export const READ_AHEAD = 8;

function fail(path: string, problem: string): never {
  throw new UnsafePathError([{ path, problem }]);
}

/** Yields the selected part of the snapshot whose root is `root`. */
export async function* walkSelection(content: SnapshotContent, root: DirectoryNode, selection: Selection, rules: NameRules, onProblem?: ProblemSink): AsyncGenerator<WalkEvent> {
  yield* walkDir(content, root, "", selection.whole ? WHOLE : selection, rules, onProblem ?? ((p, why) => fail(p, why)));
}

async function* walkDir(content: SnapshotContent, node: DirectoryNode, path: string, sel: Selection, rules: NameRules, problem: ProblemSink, reading?: Promise<Tree>): AsyncGenerator<WalkEvent> {
  const tree = await (reading ?? content.getTree(node.tree));
  yield { kind: "dir", path, node, selected: sel.whole };
  const seen = new Map<string, string>();
  const usable = (name: string): boolean => {
    const full = childPath(path, name);
    const why = nameProblem(name, rules);
    if (why !== undefined) {
      problem(full, why);
      return false;
    }
    const key = collisionKey(name, rules);
    const other = seen.get(key);
    if (other !== undefined) {
      problem(full, other === name ? "the snapshot holds two entries with this name in one directory" : `the target cannot tell it from ${JSON.stringify(other)} (names differ only in case)`);
      return false;
    }
    seen.set(key, name);
    return true;
  };
  const found = new Set<string>();
  const files: FileNode[] = [];
  for (const f of tree.files) {
    const child = sel.whole ? WHOLE : sel.children.get(f.name);
    if (child === undefined) continue;
    if (!child.whole) throw new SelectionNotFoundError(`${childPath(path, f.name)}/${[...child.children.keys()][0]}`);
    found.add(f.name);
    if (usable(f.name)) files.push(f);
  }
  const dirs: [DirectoryNode, Selection][] = [];
  for (const d of tree.directories) {
    const child = sel.whole ? WHOLE : sel.children.get(d.name);
    if (child === undefined) continue;
    found.add(d.name);
    if (usable(d.name)) dirs.push([d, child]);
  }
  if (!sel.whole) {
    for (const name of sel.children.keys()) if (!found.has(name)) throw new SelectionNotFoundError(childPath(path, name));
  }
  // Reads of the trees of dirs[started..] not yet handed to their walk, by index.
  const ahead = new Map<number, Promise<Tree>>();
  let started = 0;
  const readAhead = (upTo: number) => {
    for (; started < Math.min(upTo, dirs.length); started++) {
      const p = content.getTree(dirs[started][0].tree);
      // Awaited by the child's walk; an early end of the walk must not leave it unhandled.
      p.catch(() => undefined);
      ahead.set(started, p);
    }
  };
  readAhead(READ_AHEAD);
  for (const f of files) yield { kind: "file", path: childPath(path, f.name), dir: path, node: f };
  for (let i = 0; i < dirs.length; i++) {
    readAhead(i + 1 + READ_AHEAD);
    const [d, child] = dirs[i];
    const reading = ahead.get(i);
    ahead.delete(i);
    yield* walkDir(content, d, childPath(path, d.name), child, rules, problem, reading);
  }
}
