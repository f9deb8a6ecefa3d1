/**
 * The generated corpus of `bench:backup`, which `bench:restore` restores too: `files` files holding
 * `mib` MiB under root/data, 100 per directory; every 100th file large, every 10th medium, the rest
 * small, holding 50% / 35% / 15% of the bytes; random (incompressible) content.
 */
import { randomFillSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes the corpus under `root`/data; returns its byte count. */
export function generate(root: string, files: number, mib: number): number {
  const total = mib * 2 ** 20;
  const large = Math.max(1, Math.floor(files / 100));
  const medium = Math.max(1, Math.floor(files / 10) - large);
  const small = Math.max(0, files - large - medium);
  const size = { large: Math.floor((total * 0.5) / large), medium: Math.floor((total * 0.35) / medium), small: small === 0 ? 0 : Math.floor((total * 0.15) / small) };
  const buf = Buffer.alloc(Math.max(size.large, size.medium, size.small, 1));
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const dir = join(root, "data", `d${Math.floor(i / 1000)}`, `s${Math.floor(i / 100) % 10}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    const n = i % 100 === 0 ? size.large : i % 10 === 0 ? size.medium : size.small;
    randomFillSync(buf, 0, n);
    writeFileSync(join(dir, `f${i}.bin`), buf.subarray(0, n));
    bytes += n;
  }
  return bytes;
}
