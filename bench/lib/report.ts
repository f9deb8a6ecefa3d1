/**
 * Shared output of every benchmark: a printed table and bench/results/<name>.json. Benchmarks compare
 * ratios measured in the same run (the machine is shared and noisy), so each row carries its own
 * reference figures and the ratio.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { arch, cpus, totalmem } from "node:os";

/** One measured row: a name, its values (numbers or short strings), and an optional goal text. */
export interface BenchRow {
  readonly name: string;
  readonly values: Readonly<Record<string, number | string>>;
  readonly goal?: string;
  readonly met?: boolean;
}

function format(v: number | string): string {
  if (typeof v === "string") return v;
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}

/** Renders rows as an aligned text table (columns are the union of the rows' value keys). */
export function renderTable(rows: readonly BenchRow[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const header = ["benchmark", ...keys, "goal", "met"];
  const body = rows.map((r) => [
    r.name,
    ...keys.map((k) => (k in r.values ? format(r.values[k]) : "")),
    r.goal ?? "",
    r.met === undefined ? "" : r.met ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** Prints the table and writes bench/results/<name>.json with the rows and the machine they ran on. */
export function report(name: string, rows: readonly BenchRow[], extra: Record<string, unknown> = {}): void {
  process.stdout.write(`\n${name}\n${renderTable(rows)}\n`);
  const dir = join(process.cwd(), "bench", "results");
  mkdirSync(dir, { recursive: true });
  const machine = { node: process.version, arch: arch(), cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) };
  const doc = { name, ranAt: new Date().toISOString(), machine, rows, ...extra };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(doc, null, 2) + "\n");
  process.stdout.write(`wrote bench/results/${name}.json\n`);
}
