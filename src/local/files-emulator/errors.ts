/**
 * Every error the File emulator sends, made by one factory so status, `x-ms-error-code` and message
 * match what Azure Files sends for the same condition (the SDK reads the code from the header; the XML
 * body carries the same code and message). Handlers throw a StorageError; the server renders it.
 */
export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extraXml: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "StorageError";
  }
}

const e = (status: number, code: string, message: string, extraXml?: Record<string, string>) =>
  new StorageError(status, code, message, extraXml);

/** The one place an emulator error is created (like Azurite's StorageErrorFactory). */
export const Errors = {
  authenticationFailed: (detail: string) =>
    e(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.", { AuthenticationErrorDetail: detail }),
  authorizationPermissionMismatch: () =>
    e(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission."),
  authorizationResourceTypeMismatch: () =>
    e(403, "AuthorizationResourceTypeMismatch", "This request is not authorized to perform this operation using this resource type."),
  invalidUri: (why: string) => e(400, "InvalidUri", `The requested URI does not represent any resource on the server. (${why})`),
  invalidResourceName: () => e(400, "InvalidResourceName", "The specifed resource name contains invalid characters."),
  invalidQueryParameter: (name: string, value: string) =>
    e(400, "InvalidQueryParameterValue", `Value for one of the query parameters specified in the request URI is invalid.`, { QueryParameterName: name, QueryParameterValue: value }),
  invalidHeaderValue: (name: string, value: string) =>
    e(400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format.", { HeaderName: name, HeaderValue: value }),
  missingRequiredHeader: (name: string) =>
    e(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.", { HeaderName: name }),
  invalidInput: (why: string) => e(400, "InvalidInput", `One of the request inputs is not valid. (${why})`),
  invalidRange: () => e(416, "InvalidRange", "The range specified is invalid for the current size of the resource."),
  requestBodyTooLarge: () => e(413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit."),
  md5Mismatch: () => e(400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server."),
  unsupportedOperation: () => e(400, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb."),
  featureNotSupported: (what: string) => e(400, "FeatureNotSupportedByEmulator", `The emulator does not implement ${what}.`),
  shareAlreadyExists: () => e(409, "ShareAlreadyExists", "The specified share already exists."),
  shareNotFound: () => e(404, "ShareNotFound", "The specified share does not exist."),
  shareSnapshotNotFound: () => e(404, "ShareSnapshotNotFound", "The specified share snapshot does not exist."),
  shareHasSnapshots: () => e(409, "ShareHasSnapshots", "The share has snapshots and the operation requires no snapshots."),
  shareSnapshotCountExceeded: () => e(409, "ShareSnapshotCountExceeded", "The total number of snapshots for the share is over the limit."),
  shareSnapshotOperationNotSupported: () => e(400, "ShareSnapshotOperationNotSupported", "The operation is not supported on a share snapshot."),
  resourceAlreadyExists: () => e(409, "ResourceAlreadyExists", "The specified resource already exists."),
  resourceNotFound: () => e(404, "ResourceNotFound", "The specified resource does not exist."),
  parentNotFound: () => e(404, "ParentNotFound", "The specified parent path does not exist."),
  directoryNotEmpty: () => e(409, "DirectoryNotEmpty", "The specified directory is not empty."),
  resourceTypeMismatch: () => e(409, "ResourceTypeMismatch", "The specified resource type does not match the type of the existing resource."),
  invalidFileOrDirectoryPathName: () => e(400, "InvalidFileOrDirectoryPathName", "File or directory path is too long or contains invalid characters."),
  fileInvalidPermission: () => e(400, "FileInvalidPermission", "The file permission is not a valid SDDL."),
  permissionNotFound: () => e(404, "ResourceNotFound", "The specified permission key does not exist."),
  invalidPermissionHeaders: () => e(400, "InvalidHeaderValue", "x-ms-file-permission and x-ms-file-permission-key are mutually exclusive."),
  serverBusy: () => e(503, "ServerBusy", "Operations per second is over the account limit."),
  internalError: () => e(500, "InternalError", "The server encountered an internal error. Please retry the request."),
};
