/**
 * The `FrontierStore` port: the directories a scan still has to list, kept outside the orchestration
 * history so the history stays bounded whatever the share size. Producers push the child directories
 * they found under a key; consumers claim batches under a key.
 * Guarantees of every adapter: `push` with a key already used for that scan adds nothing (a retried
 * activity pushes once); `claim` with a key already used returns the same ids again (a retried claim
 * loses nothing); an id pushed once is claimed at most once per push; scans are independent.
 */
export interface FrontierStore {
  /** Adds `dirIds` under `key`; returns how many were added (0 if `key` was pushed before). */
  push(scanId: string, key: string, dirIds: readonly string[]): Promise<number>;
  /** Claims up to `max` pending ids under `key` (the same ids again if `key` claimed before). */
  claim(scanId: string, key: string, max: number): Promise<string[]>;
  /** Ids pushed and not claimed yet. */
  pending(scanId: string): Promise<number>;
  /** Forgets the scan. */
  clear(scanId: string): Promise<void>;
}

/** Rejects keys and scan ids a store could not hold, with the reason. */
export function validateFrontierArgs(scanId: string, key: string, max?: number): void {
  for (const [what, v] of [["scan id", scanId], ["frontier key", key]] as const) {
    if (typeof v !== "string" || v.length === 0 || v.length > 200 || /[/\\#?]/.test(v) || [...v].some((c) => c.charCodeAt(0) < 0x20)) {
      throw new Error(`invalid ${what} ${JSON.stringify(v)}: 1-200 characters, none of / \\ # ? or control characters`);
    }
  }
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new Error(`a frontier claim needs a positive integer max, got ${max}`);
}

/** A store failure, after the adapter's own retries; `cause` holds the SDK error. */
export class FrontierStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FrontierStoreError";
  }
}
