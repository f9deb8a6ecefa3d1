/**
 * Errors of the restore engine. Each names the paths involved (relative to the share root) so a user
 * can act on it; lists are capped (the count says how many there were).
 */

/** Names in the snapshot that the target cannot hold safely (see path-safety.ts). Nothing was written. */
export class UnsafePathError extends Error {
  override readonly name = "UnsafePathError";
  constructor(readonly problems: readonly { path: string; problem: string }[], readonly total: number = problems.length) {
    super(`refusing to restore ${total} path(s) the target cannot hold safely (nothing was written):\n` + problems.map((p) => `  ${JSON.stringify(p.path)}: ${p.problem}`).join("\n") + (total > problems.length ? `\n  ... and ${total - problems.length} more` : ""));
  }
}

/** A PATH argument that names nothing in the snapshot. */
export class SelectionNotFoundError extends Error {
  override readonly name = "SelectionNotFoundError";
  constructor(readonly path: string) {
    super(`${JSON.stringify(path)} is not in the snapshot`);
  }
}

/** Targets that exist under `--conflict fail` (checked before anything is written). */
export class RestoreConflictError extends Error {
  override readonly name = "RestoreConflictError";
  constructor(readonly paths: readonly string[], readonly total: number, where: string) {
    super(`${total} path(s) already exist in ${where}; nothing was written (choose --conflict skip, overwrite or rename):\n` + paths.map((p) => `  ${p}`).join("\n") + (total > paths.length ? `\n  ... and ${total - paths.length} more` : ""));
  }
}

/** A snapshot argument that matches no snapshot, or several. */
export class SnapshotSpecError extends Error {
  override readonly name = "SnapshotSpecError";
}
