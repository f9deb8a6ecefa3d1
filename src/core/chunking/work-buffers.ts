/**
 * A process-wide pool of the chunker's work buffers (powers of two from 64 KiB to 16 MiB). Every
 * chunked file grows a work buffer to about its size; a backup of many files would otherwise allocate
 * its whole content again in these buffers, and each MiB-sized external allocation brings V8's next
 * full garbage collection closer (measured: most full GCs of a backup process came from such buffers).
 *
 * Guarantees: a buffer taken is not handed out again before it is released; at most RETAINED_BYTES of
 * idle buffers are kept (the rest are left to the garbage collector), so the pool's own memory is
 * bounded whatever the concurrency. The contents of a taken buffer are arbitrary.
 */

const MIN_BYTES = 64 * 1024;
const MAX_BYTES = 16 * 1024 * 1024;
/** Idle bytes kept: two of the largest buffers, or more smaller ones. */
const RETAINED_BYTES = 2 * MAX_BYTES;

const idle = new Map<number, Buffer[]>();
let idleBytes = 0;

function isPooledSize(size: number): boolean {
  return size >= MIN_BYTES && size <= MAX_BYTES && (size & (size - 1)) === 0;
}

/** A buffer of exactly `size` bytes (a power of two from 64 KiB to 16 MiB), idle or new. */
export function takeWorkBuffer(size: number): Buffer {
  if (!isPooledSize(size)) throw new RangeError(`work buffer size must be a power of two from ${MIN_BYTES} to ${MAX_BYTES}, got ${size}`);
  const buf = idle.get(size)?.pop();
  if (buf === undefined) return Buffer.allocUnsafeSlow(size);
  idleBytes -= size;
  return buf;
}

/** Gives a buffer back; the caller must not use it afterwards. Buffers of other sizes are ignored. */
export function releaseWorkBuffer(buf: Buffer): void {
  if (!isPooledSize(buf.length) || buf.byteOffset !== 0 || buf.buffer.byteLength !== buf.length) return;
  if (idleBytes + buf.length > RETAINED_BYTES) return;
  let list = idle.get(buf.length);
  if (list === undefined) idle.set(buf.length, (list = []));
  list.push(buf);
  idleBytes += buf.length;
}

/** Bytes held by idle buffers (for tests and diagnostics). */
export function idleWorkBufferBytes(): number {
  return idleBytes;
}
