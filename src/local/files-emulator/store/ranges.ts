/**
 * Sorted, non-overlapping, merged half-open byte intervals [start, end). Used for a file's data
 * ranges (what Get Ranges lists) and for the ranges each write epoch touched (what a
 * `prevsharesnapshot` diff lists). All functions are pure and return new arrays.
 */
export type Interval = readonly [number, number];
export type IntervalSet = readonly Interval[];

export function normalise(set: readonly Interval[]): Interval[] {
  const sorted = set.filter(([s, e]) => e > s).slice().sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function union(a: IntervalSet, b: IntervalSet): Interval[] {
  return normalise([...a, ...b]);
}

export function subtract(a: IntervalSet, b: IntervalSet): Interval[] {
  const out: Interval[] = [];
  for (const [s0, e0] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be <= s || bs >= e0) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e0) break;
    }
    if (s < e0) out.push([s, e0]);
  }
  return out;
}

export function intersect(a: IntervalSet, b: IntervalSet): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i][0], b[j][0]);
    const e = Math.min(a[i][1], b[j][1]);
    if (s < e) out.push([s, e]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

export function clip(a: IntervalSet, size: number): Interval[] {
  return intersect(a, [[0, size]]);
}
