/**
 * The one place where @azure/storage-file-share errors met while restoring become RestoreTarget
 * domain errors (the SDK error kept as `cause`). Messages name the operation, the path and Azure's
 * error code, never a key or a SAS.
 */
import { RestoreTargetError, TargetExistsError } from "../../core/ports/share-writer";
import { redact } from "../../core/redact";

interface SdkError {
  statusCode?: number;
  code?: string;
  details?: { errorCode?: string };
  message?: string;
}

/** Azure's error code (x-ms-error-code) of an SDK error, if any. */
export function errorCode(err: unknown): string | undefined {
  const e = err as SdkError;
  return e?.details?.errorCode ?? (typeof e?.code === "string" ? e.code : undefined);
}

export const isNotFound = (err: unknown): boolean => {
  const code = errorCode(err);
  return (err as SdkError)?.statusCode === 404 || code === "ResourceNotFound" || code === "ParentNotFound";
};

/** Translates what the SDK threw while doing `what` (e.g. `creating directory "a/b"`) in `where`. */
export function restoreError(err: unknown, where: string, what: string): RestoreTargetError {
  if (err instanceof RestoreTargetError) return err;
  const e = err as SdkError;
  const code = errorCode(err);
  const status = e?.statusCode;
  const msg = (s: string) => `${where}: ${what}: ${s}`;
  if (code === "ResourceAlreadyExists") return new TargetExistsError(msg("it already exists"), { cause: err });
  if (status === 401 || status === 403) return new RestoreTargetError(msg(`access denied (${status}${code ? ` ${code}` : ""}): check the account key, SAS or the identity's role`), { cause: err });
  if (status === 500 || status === 503) return new RestoreTargetError(msg(`the service stayed unavailable after the SDK's retries (${status}${code ? ` ${code}` : ""})`), { cause: err });
  const first = redact(String(e?.message ?? err).split("\n")[0]).slice(0, 200);
  return new RestoreTargetError(msg(`${status ?? ""} ${code ?? ""} ${first}`.trim()), { cause: err });
}
