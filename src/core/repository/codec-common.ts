/**
 * Conversions shared by the FlatBuffers codecs: hex ids <-> raw bytes, decimal FileIds <-> ulong,
 * microseconds <-> 100-ns ticks, user metadata, and the guard every decoder runs in (a version it does
 * not know is UnsupportedFormatError; bytes that do not parse are RepositoryCorruptError).
 */
import { ByteBuffer, type Builder, type Offset } from "flatbuffers";
import { KeyValue } from "../../generated";
import { RepositoryCorruptError, UnsupportedFormatError } from "./errors";
import type { HexHash } from "./model";

/** The format version this code writes and the newest it reads. */
export const FORMAT_VERSION = 1;
export const HASH_BYTES = 32;

const HEX64 = /^[0-9a-f]{64}$/;
const MAX_U64 = (1n << 64n) - 1n;

export function isHexHash(value: unknown): value is HexHash {
  return typeof value === "string" && HEX64.test(value);
}

/** Raw bytes of a 64-digit hex hash; `what` names the field in the error. */
export function hashBytes(hex: string, what: string): Buffer {
  if (!isHexHash(hex)) throw new Error(`${what} must be 64 lowercase hex digits, got ${JSON.stringify(hex)}`);
  return Buffer.from(hex, "hex");
}

export function hashHex(bytes: Uint8Array | null, what: string): HexHash {
  if (bytes === null || bytes.length !== HASH_BYTES) throw new RepositoryCorruptError(`${what} is not a 32-byte hash`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex");
}

/** Concatenates hex ids into one byte vector (32 bytes each). */
export function packIds(ids: readonly string[], what: string): Buffer {
  const out = Buffer.allocUnsafe(ids.length * HASH_BYTES);
  ids.forEach((id, i) => hashBytes(id, `${what}[${i}]`).copy(out, i * HASH_BYTES));
  return out;
}

export function unpackIds(bytes: Uint8Array | null, what: string): HexHash[] {
  if (bytes === null) return [];
  if (bytes.length % HASH_BYTES !== 0) throw new RepositoryCorruptError(`${what} length ${bytes.length} is not a multiple of ${HASH_BYTES}`);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const ids: HexHash[] = [];
  for (let at = 0; at < b.length; at += HASH_BYTES) ids.push(b.toString("hex", at, at + HASH_BYTES));
  return ids;
}

/** Decimal FileId (Azure's form) -> ulong. */
export function fileIdToU64(fileId: string, what: string): bigint {
  if (typeof fileId !== "string" || !/^\d{1,20}$/.test(fileId) || BigInt(fileId) > MAX_U64) {
    throw new Error(`${what} must be a decimal 64-bit FileId, got ${JSON.stringify(fileId)}`);
  }
  return BigInt(fileId);
}

/** Microseconds since the epoch -> 100-ns ticks. */
export function microsToTicks(micros: number, what: string): bigint {
  if (!Number.isSafeInteger(micros)) throw new Error(`${what} must be an integer number of microseconds, got ${micros}`);
  return BigInt(micros) * 10n;
}

export function ticksToMicros(ticks: bigint): number {
  return Number(ticks / 10n);
}

export function checkCount(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${what} must be a non-negative integer, got ${value}`);
  return BigInt(value);
}

/** User metadata as a vector of KeyValue, keys sorted so equal maps encode to equal bytes. */
export function encodeUserMetadata(b: Builder, metadata: Readonly<Record<string, string>>): Offset {
  const keys = Object.keys(metadata).sort();
  const pairs = keys.map((k) => {
    if (typeof metadata[k] !== "string") throw new Error(`user metadata ${JSON.stringify(k)} must be a string`);
    return KeyValue.createKeyValue(b, b.createString(k), b.createString(metadata[k]));
  });
  return offsetVector(b, pairs);
}

/** A vector of table offsets (what the generated create*Vector helpers do, for any table type). */
export function offsetVector(b: Builder, offsets: readonly Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

export function decodeUserMetadata(count: number, at: (i: number) => KeyValue | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const kv = at(i);
    if (kv === null) throw new RepositoryCorruptError("user metadata entry is missing");
    out[kv.key() ?? ""] = kv.value() ?? "";
  }
  return out;
}

/**
 * A ByteBuffer over `bytes`, copied first when unaligned (typed-array views need aligned offsets),
 * after checking that the root table and its vtable lie inside the bytes: the runtime reads absent
 * fields as defaults, so random bytes would otherwise decode as an empty object.
 */
export function byteBuffer(bytes: Uint8Array): ByteBuffer {
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  const view = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
  const fail = (why: string): never => {
    throw new RepositoryCorruptError(`not a FlatBuffer: ${why}`);
  };
  if (view.byteLength < 12) fail(`${view.byteLength} bytes`);
  const root = view.getUint32(0, true);
  if (root < 4 || root + 4 > view.byteLength) fail("root offset out of range");
  const vtable = root - view.getInt32(root, true);
  if (vtable < 4 || vtable + 4 > view.byteLength) fail("vtable out of range");
  const vtableSize = view.getUint16(vtable, true);
  const tableSize = view.getUint16(vtable + 2, true);
  if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > view.byteLength || root + tableSize > view.byteLength) fail("vtable sizes out of range");
  return new ByteBuffer(aligned);
}

/** Runs a decoder: unknown versions and unparseable bytes become the repository's errors. */
export function decodeGuard<T>(what: string, decode: () => { version: number; value: () => T }): T {
  let version: number;
  let value: () => T;
  try {
    ({ version, value } = decode());
  } catch (err) {
    throw new RepositoryCorruptError(`${what} does not parse`, { cause: err });
  }
  if (version < 1 || version > FORMAT_VERSION) throw new UnsupportedFormatError(what, version, FORMAT_VERSION);
  try {
    return value();
  } catch (err) {
    if (err instanceof RepositoryCorruptError) throw err;
    throw new RepositoryCorruptError(`${what} does not parse`, { cause: err });
  }
}
