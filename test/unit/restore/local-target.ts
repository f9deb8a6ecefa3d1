/** Helpers for restore tests on a local directory: temp folders, a tree reader and a failing target. */
import { mkdtempSync, readdirSync, lstatSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileSink, RestoreTarget } from "../../../src/core/ports/share-writer";

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `afb-restore-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Every path under `root` ("d/" for directories) with the bytes of files. */
export function readTree(root: string, rel = ""): Map<string, Buffer | "dir"> {
  const out = new Map<string, Buffer | "dir">();
  for (const name of readdirSync(join(root, rel)).sort()) {
    const p = rel === "" ? name : `${rel}/${name}`;
    if (lstatSync(join(root, p)).isDirectory()) {
      out.set(`${p}/`, "dir");
      for (const [k, v] of readTree(root, p)) out.set(k, v);
    } else out.set(p, readFileSync(join(root, p)));
  }
  return out;
}

/** A target that fails every file begun after `okFiles` have completed; records what completed. */
export function failingAfter(inner: RestoreTarget, okFiles: number): RestoreTarget & { completed: string[] } {
  const completed: string[] = [];
  return Object.assign(Object.create(inner) as RestoreTarget, {
    completed,
    async beginFile(path: string, size: number): Promise<FileSink> {
      if (completed.length >= okFiles) throw new Error(`injected failure before ${path}`);
      const sink = await inner.beginFile(path, size);
      return {
        write: (o: number, d: Buffer) => sink.write(o, d),
        discard: () => sink.discard(),
        complete: async (props, replace) => {
          await sink.complete(props, replace);
          completed.push(path);
        },
      } satisfies FileSink;
    },
  });
}
