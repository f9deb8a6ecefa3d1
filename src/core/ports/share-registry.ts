/**
 * The `ShareRegistry` port: the shares this app backs up (src/core/registry/share.ts), by id.
 * Guarantees of every adapter (one conformance suite, test/unit/registry/share-registry.conformance.ts):
 * `add` never replaces (an existing id is ShareExistsError); `get`/`list` return exactly what was
 * added, validated on the way out (a damaged record is a ShareRegistryError naming the id, never a
 * half-read share); `list` is sorted by id; `remove` is idempotent (false when unknown);
 * `recordScheduledRun` never recreates a removed share (ShareNotFoundError). Failures are the errors
 * below, after the adapter's own retries, with the backend's error as `cause` and no secret in the text.
 */
import type { Share } from "../registry/share";

export interface ShareRegistry {
  /** What this registry is, for messages (never contains a secret). */
  readonly description: string;
  add(share: Share): Promise<void>;
  get(id: string): Promise<Share | undefined>;
  list(): Promise<Share[]>;
  remove(id: string): Promise<boolean>;
  /** Sets `lastScheduledRun` (ISO) of an existing share. */
  recordScheduledRun(id: string, at: string): Promise<void>;
}

/** Base of every error a ShareRegistry raises. */
export class ShareRegistryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ShareExistsError extends ShareRegistryError {
  constructor(readonly shareId: string, options?: { cause?: unknown }) {
    super(`a share with id ${shareId} is already registered`, options);
  }
}

export class ShareNotFoundError extends ShareRegistryError {
  constructor(readonly shareId: string, options?: { cause?: unknown }) {
    super(`no share with id ${shareId} is registered`, options);
  }
}

/** The backend refused access (authentication or authorization). */
export class RegistryAccessError extends ShareRegistryError {}

/** The backend is unreachable, busy or throttling, after retries. */
export class RegistryUnavailableError extends ShareRegistryError {}
