"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.translateFsError = translateFsError;
/**
 * The one place where Node file-system errors become ShareReader domain errors.
 */
const share_reader_1 = require("../../core/ports/share-reader");
/** Maps an fs error on `path` (relative to the share root, "" = root) to a domain error. */
function translateFsError(err, root, path) {
    if (err instanceof share_reader_1.ShareError)
        return err;
    const code = err?.code;
    const where = path === "" ? `the root of ${root}` : `${JSON.stringify(path)} in ${root}`;
    const detail = err instanceof Error ? err.message : String(err);
    switch (code) {
        case "ENOENT":
        case "ENOTDIR":
            return path === "" ? new share_reader_1.ShareNotFoundError(`local directory ${root} does not exist`, { cause: err }) : new share_reader_1.PathNotFoundError(`${where} does not exist`, path, { cause: err });
        case "EACCES":
        case "EPERM":
            return new share_reader_1.ShareAccessDeniedError(`permission denied reading ${where}`, { cause: err });
        default:
            return new share_reader_1.ShareUnavailableError(`cannot read ${where}: ${detail}`, { cause: err });
    }
}
//# sourceMappingURL=errors.js.map