"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.translateFilesError = translateFilesError;
/**
 * The one place where @azure/storage-file-share errors become ShareReader domain errors (the SDK error
 * kept as `cause`). Messages name the operation, the path and Azure's error code, never a key or SAS.
 */
const share_reader_1 = require("../../core/ports/share-reader");
const redact_1 = require("../../core/redact");
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "REQUEST_SEND_ERROR"]);
/** Translates what the SDK threw while doing `what` (e.g. `listing "a/b"`) on `share`. */
function translateFilesError(err, share, what, path) {
    if (err instanceof share_reader_1.ShareError)
        return err;
    const e = err;
    const status = e?.statusCode;
    const code = e?.details?.errorCode ?? (typeof e?.code === "string" ? e.code : undefined);
    const first = (0, redact_1.redact)(String(e?.message ?? err).split("\n")[0]).slice(0, 200);
    const msg = (s) => `${share}: ${what}: ${s}`;
    if (code === "ShareNotFound" || code === "ShareSnapshotNotFound")
        return new share_reader_1.ShareNotFoundError(msg(code === "ShareNotFound" ? "the share does not exist" : "the share snapshot does not exist"), { cause: err });
    if (status === 404 || code === "ResourceNotFound" || code === "ParentNotFound")
        return new share_reader_1.PathNotFoundError(msg(`not found (${code ?? 404})`), path ?? "", { cause: err });
    if (status === 401 || status === 403)
        return new share_reader_1.ShareAccessDeniedError(msg(`access denied (${status} ${code ?? ""}): check the account key, SAS or the identity's role`.replace(" )", ")")), { cause: err });
    if (status === 503 || status === 500 || (code !== undefined && NETWORK.has(code))) {
        return new share_reader_1.ShareUnavailableError(msg(`the service stayed unavailable after the SDK's retries (${status ?? code}${code && status ? ` ${code}` : ""})`), { cause: err });
    }
    return new share_reader_1.ShareError(msg(`${status ?? ""} ${code ?? ""} ${first}`.trim()), { cause: err });
}
//# sourceMappingURL=errors.js.map