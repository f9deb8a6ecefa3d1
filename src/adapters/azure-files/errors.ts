/**
 * The one place where @azure/storage-file-share errors become ShareReader domain errors (the SDK error
 * kept as `cause`). Messages name the operation, the path and Azure's error code, never a key or SAS.
 */
import {
  PathNotFoundError,
  ShareAccessDeniedError,
  ShareError,
  ShareNotFoundError,
  ShareUnavailableError,
} from "../../core/ports/share-reader";
import { redact } from "../../core/redact";

const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "REQUEST_SEND_ERROR"]);

/** Translates what the SDK threw while doing `what` (e.g. `listing "a/b"`) on `share`. */
export function translateFilesError(err: unknown, share: string, what: string, path?: string): ShareError {
  if (err instanceof ShareError) return err;
  const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string }; message?: string };
  const status = e?.statusCode;
  const code = e?.details?.errorCode ?? (typeof e?.code === "string" ? e.code : undefined);
  const first = redact(String(e?.message ?? err).split("\n")[0]).slice(0, 200);
  const msg = (s: string) => `${share}: ${what}: ${s}`;
  if (code === "ShareNotFound" || code === "ShareSnapshotNotFound") return new ShareNotFoundError(msg(code === "ShareNotFound" ? "the share does not exist" : "the share snapshot does not exist"), { cause: err });
  if (status === 404 || code === "ResourceNotFound" || code === "ParentNotFound") return new PathNotFoundError(msg(`not found (${code ?? 404})`), path ?? "", { cause: err });
  if (status === 401 || status === 403) return new ShareAccessDeniedError(msg(`access denied (${status} ${code ?? ""}): check the account key, SAS or the identity's role`.replace(" )", ")")), { cause: err });
  if (status === 503 || status === 500 || (code !== undefined && NETWORK.has(code))) {
    return new ShareUnavailableError(msg(`the service stayed unavailable after the SDK's retries (${status ?? code}${code && status ? ` ${code}` : ""})`), { cause: err });
  }
  return new ShareError(msg(`${status ?? ""} ${code ?? ""} ${first}`.trim()), { cause: err });
}
