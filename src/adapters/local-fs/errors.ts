/**
 * The one place where Node file-system errors become ShareReader domain errors.
 */
import { PathNotFoundError, ShareAccessDeniedError, ShareError, ShareNotFoundError, ShareUnavailableError } from "../../core/ports/share-reader";

/** Maps an fs error on `path` (relative to the share root, "" = root) to a domain error. */
export function translateFsError(err: unknown, root: string, path: string): ShareError {
  if (err instanceof ShareError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const where = path === "" ? `the root of ${root}` : `${JSON.stringify(path)} in ${root}`;
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return path === "" ? new ShareNotFoundError(`local directory ${root} does not exist`, { cause: err }) : new PathNotFoundError(`${where} does not exist`, path, { cause: err });
    case "EACCES":
    case "EPERM":
      return new ShareAccessDeniedError(`permission denied reading ${where}`, { cause: err });
    default:
      return new ShareUnavailableError(`cannot read ${where}: ${detail}`, { cause: err });
  }
}
