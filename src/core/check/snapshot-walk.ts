/**
 * Walks every snapshot's trees for `check`, naming what is affected by missing or damaged data (the
 * snapshots and the first few files per problem). Each distinct tree is read once per snapshot; the
 * structure checks (trees, security descriptors, chunk lists against size and digest) run only when
 * asked, so that a check in several passes reports them once while each pass checks its chunks.
 */
import { contentDigest } from "../chunking/content-hash";
import type { HexHash } from "../repository/model";
import type { Repository } from "../repository/repository";

const MAX_AFFECTED = 5;

export interface WalkChecks {
  /** Check trees, security descriptors and chunk lists (the first pass). */
  readonly structure: boolean;
  /** The problem with one chunk reference, or undefined when it is fine (or outside this pass). */
  chunkProblem(id: HexHash): string | undefined;
}

/** Collects "what: affects snapshots: files" problems. */
export class Affected {
  private readonly byProblem = new Map<string, { snapshots: Set<string>; files: string[] }>();

  note(what: string, snapshot: string, path: string): void {
    const a = this.byProblem.get(what) ?? this.byProblem.set(what, { snapshots: new Set(), files: [] }).get(what)!;
    a.snapshots.add(snapshot);
    if (a.files.length < MAX_AFFECTED && !a.files.includes(path)) a.files.push(path);
  }

  report(problems: string[]): void {
    for (const [what, a] of this.byProblem) problems.push(`${what}; affects snapshot(s) ${[...a.snapshots].join(", ")}: ${a.files.map((f) => JSON.stringify(f)).join(", ")}${a.files.length === MAX_AFFECTED ? ", ..." : ""}`);
  }
}

/** Walks every snapshot; returns the number of snapshots and of distinct trees that were read. */
export async function walkSnapshots(repo: Repository, checks: WalkChecks, affected: Affected, problems: string[]): Promise<{ snapshots: number; trees: number }> {
  const sddlOk = new Map<HexHash, boolean>();
  const checkSddl = async (id: HexHash | undefined, snapshot: string, path: string) => {
    if (id === undefined || !checks.structure) return;
    if (!sddlOk.has(id)) sddlOk.set(id, await repo.getSddl(id).then(() => true, () => false));
    if (!sddlOk.get(id)) affected.note(`security descriptor ${id} is missing or damaged`, snapshot, path || "/");
  };
  const treeOk = new Map<HexHash, boolean>();
  let snapshots = 0;
  for await (const ref of repo.listSnapshots()) {
    snapshots++;
    const name = `${ref.share}@${ref.id.slice(0, 12)}`;
    let root;
    try {
      root = (await repo.getSnapshot(ref)).root;
    } catch (err) {
      if (checks.structure) problems.push(`snapshot ${ref.key}: ${(err as Error).message}`);
      continue;
    }
    await checkSddl(root.permission, name, "");
    const seen = new Set<HexHash>();
    const stack: Array<[HexHash, string]> = [[root.tree, ""]];
    while (stack.length > 0) {
      const [id, path] = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      let tree;
      try {
        tree = await repo.getTree(id);
        treeOk.set(id, true);
      } catch (err) {
        if (checks.structure) {
          if (treeOk.get(id) !== false) problems.push(`tree ${id}: ${(err as Error).message}`);
          affected.note(`tree ${id} is missing or damaged: everything below it is lost`, name, path || "/");
        }
        treeOk.set(id, false);
        continue;
      }
      for (const f of tree.files) {
        const p = path === "" ? f.name : `${path}/${f.name}`;
        if (checks.structure) {
          await checkSddl(f.permission, name, p);
          const digest = contentDigest(f.chunks.map((c) => Buffer.from(c.id, "hex"))).toString("hex");
          if (digest !== f.digest || f.chunks.reduce((n, c) => n + c.length, 0) !== f.size) affected.note("chunk lists that do not match their file's size or digest", name, p);
        }
        for (const c of f.chunks) {
          const problem = checks.chunkProblem(c.id);
          if (problem !== undefined) affected.note(problem, name, p);
        }
      }
      for (const d of tree.directories) {
        const p = path === "" ? d.name : `${path}/${d.name}`;
        await checkSddl(d.permission, name, p);
        stack.push([d.tree, p]);
      }
    }
  }
  return { snapshots, trees: treeOk.size };
}
