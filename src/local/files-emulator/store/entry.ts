/**
 * What the emulator knows about one file or directory besides its bytes. Entries are immutable:
 * every change replaces the record, so a snapshot can hold on to the records it captured.
 */
import type { Interval } from "./ranges";

export type Kind = "d" | "f";

export interface HttpProps {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentMD5?: string;
}

/** Ranges touched by writes made after the share snapshot with sequence `after` (and before the next). */
export interface Epoch {
  readonly after: number;
  readonly ranges: readonly Interval[];
}

export interface Entry {
  readonly id: string; // 64-bit FileId, decimal
  readonly parent: string; // parent FileId, "0" for the root
  readonly name: string; // "" for the root
  readonly kind: Kind;
  readonly size: number;
  readonly created: string; // SMB times, ISO with 7 fractional digits
  readonly written: string;
  readonly changed: string;
  readonly modifiedMs: number; // Last-Modified
  readonly etag: string;
  readonly attrs: string;
  readonly permKey: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly http: HttpProps;
  readonly ver: number; // share sequence number of the last content change
  readonly data: readonly Interval[]; // ranges holding data (Get Ranges)
  readonly epochs: readonly Epoch[];
}

export const ROOT_ID = "13835128424026341376";

/** Quoted ETag in Azure's `"0x8D..."` shape; distinct for each change (sequence in the low bits). */
export function etagOf(seq: number, ms: number): string {
  return `"0x${(BigInt(ms) * 65536n + BigInt(seq & 0xffff)).toString(16).toUpperCase()}"`;
}
