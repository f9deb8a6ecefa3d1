/**
 * Reproducible "random" bytes for tests whose costs depend on content: a changed-range read's bytes
 * depend on where the content's cut points fall (the chunk before a change may be up to 8 MiB long),
 * so random content made such bounds fail now and then. The xorshift128 stream of a 128-bit state.
 */

/** A generator state from a small seed (never all zero, which xorshift would keep at zero). */
export function seededState(seed: number): Uint32Array {
  return Uint32Array.of(0x2545f491 ^ seed, 0x9e3779b9, 0x6a09e667 ^ (seed >>> 3), 0xbb67ae85 | 1);
}

/** Fills `block` (a multiple of 4 bytes long) with the stream of `state`, which advances in place. */
export function seededFill(block: Buffer, state: Uint32Array): Buffer {
  const words = new Uint32Array(block.buffer, block.byteOffset, block.length / 4);
  let [x, y, z, w] = state;
  for (let i = 0; i < words.length; i++) {
    const t = x ^ (x << 11);
    [x, y, z] = [y, z, w];
    w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    words[i] = w;
  }
  state.set([x, y, z, w]);
  return block;
}
