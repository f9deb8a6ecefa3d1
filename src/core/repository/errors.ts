/**
 * Domain errors of the repository and of its ObjectStore port. Adapters translate their SDK's errors
 * into these exactly once (keeping the original as `cause`); everything above them matches on `code`
 * or on the class, never on SDK types. Messages name the object and what went wrong, never a secret.
 */

export type StoreErrorCode =
  | "NotFound"
  | "ContainerNotFound"
  | "AlreadyExists"
  | "InvalidRange"
  | "Throttled"
  | "Unauthorized"
  | "Unavailable"
  | "InvalidRequest";

/** A failed object store operation. `retryable` says whether trying again later may succeed. */
export class StoreError extends Error {
  override readonly name: string = "StoreError";
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get retryable(): boolean {
    return this.code === "Throttled" || this.code === "Unavailable";
  }
}

export class NotFoundError extends StoreError {
  override readonly name = "NotFoundError";
  constructor(key: string, options?: { cause?: unknown }) {
    super("NotFound", `object ${key} does not exist`, options);
  }
}

export class AlreadyExistsError extends StoreError {
  override readonly name = "AlreadyExistsError";
  constructor(key: string, options?: { cause?: unknown }) {
    super("AlreadyExists", `object ${key} already exists`, options);
  }
}

/** Bytes read from the repository do not match what their name or checksum promises. */
export class RepositoryCorruptError extends Error {
  override readonly name = "RepositoryCorruptError";
  constructor(what: string, options?: { cause?: unknown }) {
    super(`repository data is corrupt: ${what}`, options);
  }
}

/** An object was written by a newer (or unknown) format version than this code reads. */
export class UnsupportedFormatError extends Error {
  override readonly name = "UnsupportedFormatError";
  constructor(what: string, version: number, supported: number) {
    super(`${what} has format version ${version}; this version of afb reads up to ${supported}`);
  }
}
