/**
 * RestoreProperties as @azure/storage-file-share options: attribute bits as x-ms-file-attributes,
 * microsecond times as ISO 8601 with the service's 7 fractional digits (a Date would cut them to
 * milliseconds), user metadata as x-ms-meta-*.
 */
import { FileSystemAttributes } from "@azure/storage-file-share";
import type { RestoreProperties } from "../../core/ports/share-writer";
import { formatSmbAttributes } from "../../core/repository/smb-attributes";

/** 1700000000123456 -> "2023-11-14T22:13:20.1234560Z". */
export function isoTicks(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new Error(`time must be whole microseconds, got ${micros}`);
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(micros - ms * 1000).padStart(3, "0")}0Z`;
}

/** Options shared by Create Directory, Set Properties (file and directory). */
export function smbOptions(props: RestoreProperties, permissionKey: string | undefined) {
  return {
    fileAttributes: FileSystemAttributes.parse(formatSmbAttributes(props.attributes)),
    // The SDK passes strings through unchanged; its types only name Date.
    creationTime: isoTicks(props.creationTime) as unknown as Date,
    lastWriteTime: isoTicks(props.lastWriteTime) as unknown as Date,
    ...(permissionKey !== undefined ? { filePermissionKey: permissionKey } : {}),
  };
}
