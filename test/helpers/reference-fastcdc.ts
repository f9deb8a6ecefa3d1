/**
 * A deliberately plain FastCDC (one byte per step, the gear table rebuilt here from its definition,
 * readable constants) that the optimised loop in src/core/chunking/fastcdc.ts must match cut for cut:
 * the cut points are part of the repository format, so any speed-up has to keep them.
 */
import { createHash } from "node:crypto";

const KIB = 1024;
const MIN = 512 * KIB;
const AVG = 1024 * KIB;
const MAX = 8 * 1024 * KIB;
/** The hash's 22 high bits must be zero to cut between MIN and AVG, its 18 high bits after AVG. */
const highBits = (n: number): number => (0xffffffff << (32 - n)) >>> 0;
const MASK_SMALL = highBits(22);
const MASK_LARGE = highBits(18);

const gear: number[] = [];
for (let i = 0; i < 256; i++) gear.push(createHash("sha256").update(`afb fastcdc gear ${i}`).digest().readUInt32BE(0));

/** End offsets of every chunk of `data`, found one byte at a time with an unsigned 32-bit hash. */
export function referenceCutPoints(data: Uint8Array): number[] {
  const cuts: number[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + MAX, data.length);
    if (data.length - start > MIN) {
      let hash = 0;
      for (let i = start + MIN; i < end; i++) {
        hash = (hash * 2 + gear[data[i]]) % 2 ** 32;
        const mask = i - start < AVG ? MASK_SMALL : MASK_LARGE;
        if ((hash & mask) >>> 0 === 0) {
          end = i + 1;
          break;
        }
      }
    }
    cuts.push(end);
    start = end;
  }
  return cuts;
}
