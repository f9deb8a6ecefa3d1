/**
 * From a listed entry to the metadata a tree stores: SMB attributes as bits, a POSIX "mode:uid:gid"
 * (what the local-disk reader reports instead) kept verbatim under the user-metadata key "posix",
 * and the security descriptor stored once per permission key and referenced by its SDDL id.
 * Guarantees: one getPermission and one putSddl per distinct permission key per backup (the cache is
 * bounded by the number of distinct descriptors, which is small on real shares).
 */
import { PathNotFoundError, type EntryKind, type ShareEntry, type ShareReader } from "../ports/share-reader";
import type { NodeMetadata } from "../repository/model";
import type { Repository } from "../repository/repository";
import { parseSmbAttributes } from "../repository/smb-attributes";
import { BackupError, describeError } from "./model";

/** The user-metadata key under which a POSIX mode/owner/group is kept. */
export const POSIX_METADATA_KEY = "posix";

const POSIX = /^[0-7]+:\d+:\d+$/;

/** SMB bits and user metadata of an entry's attribute string. */
export function attributesOf(attributes: string): { bits: number; userMetadata: Record<string, string> } {
  if (POSIX.test(attributes)) return { bits: 0, userMetadata: { [POSIX_METADATA_KEY]: attributes } };
  return { bits: parseSmbAttributes(attributes), userMetadata: {} };
}

/** Resolves permission keys to stored SDDL ids, once per key. */
export class PermissionCache {
  private readonly ids = new Map<string, Promise<string>>();

  constructor(
    private readonly reader: ShareReader,
    private readonly repository: Repository,
  ) {}

  /** The SDDL id of `key`; undefined when the entry has no permission key. */
  idOf(key: string, path: string): Promise<string | undefined> {
    if (key === "") return Promise.resolve(undefined);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.reader.getPermission(key).then(
        (sddl) => this.repository.putSddl(sddl),
        (err: unknown) => {
          throw new BackupError(`backup failed reading the security descriptor of ${JSON.stringify(path)}: ${describeError(err)}`, { cause: err });
        },
      );
      this.ids.set(key, id);
    }
    return id;
  }
}

/** The tree metadata of a listed entry. */
export async function metadataOf(entry: ShareEntry, path: string, permissions: PermissionCache): Promise<NodeMetadata> {
  let attrs;
  try {
    attrs = attributesOf(entry.attributes);
  } catch (err) {
    throw new BackupError(`${JSON.stringify(path)}: ${describeError(err)}`, { cause: err });
  }
  const permission = await permissions.idOf(entry.permissionKey, path);
  return {
    fileId: entry.fileId,
    name: entry.name,
    creationTime: entry.creationTime,
    lastWriteTime: entry.lastWriteTime,
    changeTime: entry.changeTime,
    lastAccessTime: 0,
    attributes: attrs.bits,
    ...(permission === undefined ? {} : { permission }),
    userMetadata: attrs.userMetadata,
  };
}

/**
 * The entry's REST user metadata added to `meta`: read from the share (one request) when the entry
 * changed in this backup or nothing is known of it, else the previous version's (unchanged entries
 * cost no request). The listing's POSIX key, when there is one, always wins. Readers without user
 * metadata (a local directory) leave `meta` as it is.
 */
export async function withUserMetadata(reader: ShareReader, path: string, kind: EntryKind, meta: NodeMetadata, fresh: boolean, previous: Readonly<Record<string, string>> | undefined): Promise<NodeMetadata> {
  if (reader.getUserMetadata === undefined) return meta;
  let user = previous;
  if (fresh || user === undefined) {
    try {
      user = await reader.getUserMetadata(path, kind);
    } catch (err) {
      // Vanished since the listing: sealing reports it; keep what was known.
      if (!(err instanceof PathNotFoundError)) throw new BackupError(`backup failed reading the metadata of ${JSON.stringify(path)}: ${describeError(err)}`, { cause: err });
      user = previous ?? {};
    }
  }
  const { [POSIX_METADATA_KEY]: _posix, ...rest } = user;
  return { ...meta, userMetadata: { ...rest, ...meta.userMetadata } };
}
