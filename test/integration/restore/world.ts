/**
 * The restore integration tests' world: a local stack with Azurite (the repository, through the
 * product's BlobObjectStore) and the File emulator (the target, through the real SDK), and helpers to
 * read a restored share back through the SDK.
 */
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { blobObjectStore, repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import { createShareServiceClient } from "../../../src/adapters/azure-files/client";
import { Repository } from "../../../src/core/repository/repository";
import { startTestStack, type TestStack } from "../../helpers/stack";

export interface RestoreWorld {
  readonly stack: TestStack<"blob" | "files">;
  readonly service: ShareServiceClient;
  /** A repository in a new container of Azurite. */
  newRepository(container: string): Promise<Repository>;
  close(): Promise<void>;
}

export async function startRestoreWorld(): Promise<RestoreWorld> {
  const stack = await startTestStack({ services: ["blob", "files"] });
  const service = createShareServiceClient({ connectionString: stack.productSettings.AFB_FILES }, { retryOptions: { maxTries: 2, retryDelayInMs: 10 } });
  return {
    stack,
    service,
    async newRepository(container) {
      const settings: Record<string, string> = { ...stack.productSettings, AFB_REPOSITORY_CONTAINER: container };
      const store = blobObjectStore(repositoryConnectionFromSettings((name) => settings[name]), { retryOptions: { maxTries: 2, retryDelayInMs: 10 } });
      await store.ensureContainer();
      return Repository.open(store);
    },
    close: () => stack.stop(),
  };
}

export interface SharedEntry {
  readonly kind: "file" | "dir";
  readonly bytes?: Buffer;
  readonly attributes: string;
  readonly created: number;
  readonly written: number;
  readonly sddl: string;
  readonly metadata: Record<string, string>;
}

/** Everything under `dir` of `share`, read through the SDK: bytes, SMB properties, SDDL, metadata. */
export async function readShare(share: ShareClient, dir = ""): Promise<Map<string, SharedEntry>> {
  const out = new Map<string, SharedEntry>();
  const sddl = new Map<string, string>();
  const permission = async (key: string | undefined) => {
    if (key === undefined) return "";
    if (!sddl.has(key)) sddl.set(key, (await share.getPermission(key)).permission);
    return sddl.get(key) as string;
  };
  const client = (p: string) => (p === "" ? share.rootDirectoryClient : share.getDirectoryClient(p));
  for await (const item of client(dir).listFilesAndDirectories()) {
    const path = dir === "" ? item.name : `${dir}/${item.name}`;
    if (item.kind === "directory") {
      const p = await share.getDirectoryClient(path).getProperties();
      out.set(`${path}/`, { kind: "dir", attributes: p.fileAttributes ?? "", created: p.fileCreatedOn?.getTime() ?? 0, written: p.fileLastWriteOn?.getTime() ?? 0, sddl: await permission(p.filePermissionKey), metadata: p.metadata ?? {} });
      for (const [k, v] of await readShare(share, path)) out.set(k, v);
    } else {
      const f = share.rootDirectoryClient.getFileClient(path);
      const p = await f.getProperties();
      out.set(path, { kind: "file", bytes: await f.downloadToBuffer(), attributes: p.fileAttributes ?? "", created: p.fileCreatedOn?.getTime() ?? 0, written: p.fileLastWriteOn?.getTime() ?? 0, sddl: await permission(p.filePermissionKey), metadata: p.metadata ?? {} });
    }
  }
  return out;
}
