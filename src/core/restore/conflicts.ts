/**
 * Conflict policies: what a restore does when a file's target path already exists.
 *  - fail (default): every target is checked before anything is written; any existing path stops the
 *    restore with the list of them.
 *  - skip: an existing file is left alone. If its size and content digest match the snapshot it counts
 *    as already restored (how a rerun finishes an interrupted restore), otherwise as skipped.
 *  - overwrite: the restored file replaces it (atomically: it is renamed over the old one).
 *  - rename: the restored file gets a new name, "name (restored 2026-11-28T05-00-00Z).ext", with " 2",
 *    " 3"... added inside the parentheses until the name is free.
 * Directories are merged under every policy: an existing directory receives the restored entries.
 */
import type { NameRules } from "../ports/share-writer";
import { collisionKey, nameProblem } from "./path-safety";

export const CONFLICT_POLICIES = ["fail", "skip", "overwrite", "rename"] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

export function parseConflictPolicy(raw: string): ConflictPolicy {
  const p = raw.toLowerCase();
  if (!(CONFLICT_POLICIES as readonly string[]).includes(p)) throw new Error(`--conflict must be one of ${CONFLICT_POLICIES.join(", ")} (got ${JSON.stringify(raw)})`);
  return p as ConflictPolicy;
}

/** "2026-11-28T05-00-00Z": the restore's start time, legal in file names everywhere. */
export function restoreStamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/:/g, "-");
}

/** A free name for the restored copy of `name`; `taken` holds the collision keys of the directory's names. */
export function renamedName(name: string, stamp: string, taken: ReadonlySet<string>, rules: NameRules): string {
  const dot = name.lastIndexOf(".");
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 1; ; n++) {
    const candidate = `${base} (restored ${stamp}${n === 1 ? "" : ` ${n}`})${ext}`;
    const why = nameProblem(candidate, rules);
    if (why !== undefined) throw new Error(`cannot name a restored copy of ${JSON.stringify(name)}: ${why}; use another --conflict policy or a different target`);
    if (!taken.has(collisionKey(candidate, rules))) return candidate;
  }
}
