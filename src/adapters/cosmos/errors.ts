/**
 * The one place where @azure/cosmos errors become NodeIndex domain errors (with the SDK error as
 * `cause`). Messages name the operation and the status, never a key or token.
 */
import {
  IndexConflictError,
  IndexError,
  IndexNotFoundError,
  IndexPreconditionFailedError,
  IndexThrottledError,
  IndexUnavailableError,
} from "../../core/ports/node-index";
import { redact } from "../../core/redact";

/** HTTP status of an SDK error or a bulk operation result, if it has one. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e?.statusCode === "number") return e.statusCode;
  return typeof e?.code === "number" ? e.code : undefined;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === "object" && err !== null && "message" in err ? String((err as { message: unknown }).message) : String(err);
  // The service puts a JSON body with activity ids in the message: the first sentence is the useful part.
  return redact(text.split(/\r?\n|ActivityId:|, Request URI/)[0].slice(0, 300)).trim();
}

/** Translates anything the SDK threw while doing `what` (e.g. "listing the children of s1:.w3"). */
export function translateCosmosError(err: unknown, what: string): IndexError {
  if (err instanceof IndexError) return err;
  const status = statusOf(err);
  const detail = firstLine(err);
  const msg = (s: string) => `Cosmos DB node index: ${what}: ${s}`;
  switch (status) {
    case 404:
      return new IndexNotFoundError(msg(`not found (404): ${detail}`), { cause: err });
    case 409:
      return new IndexConflictError(msg(`conflict, the item exists already (409)`), { cause: err });
    case 412:
      return new IndexPreconditionFailedError(msg(`precondition failed, the item changed meanwhile (412)`), { cause: err });
    case 429:
      return new IndexThrottledError(msg(`still throttled (429) after the SDK's retries: raise the container's throughput or lower the concurrency`), { cause: err });
    case 401:
    case 403:
      return new IndexUnavailableError(msg(`access refused (${status}): check AFB_COSMOS__key or the identity's Cosmos DB data role`), { cause: err });
    default: {
      const code = (err as { code?: unknown })?.code;
      const why = typeof code === "string" ? `${code}: ${detail}` : status !== undefined ? `status ${status}: ${detail}` : detail;
      return new IndexUnavailableError(msg(why), { cause: err });
    }
  }
}
