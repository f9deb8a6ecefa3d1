/**
 * Entry point of `npm run demo [-- --json]`: runs the demo (run-demo.ts), prints a summary table (or
 * one JSON object with --json; progress goes to stderr either way) and exits 0 only if every check
 * passed.
 */
import { runDemo, type DemoReport } from "./run-demo";

function mib(n: number | undefined): string {
  return n === undefined ? "" : `${(n / 2 ** 20).toFixed(2)} MiB`;
}

function table(report: DemoReport): string {
  const rows = [["phase", "time", "files", "read", "new", "notes"], ...report.phases.map((p) => [p.phase, `${(p.durationMs / 1000).toFixed(1)} s`, p.files === undefined ? "" : String(p.files), mib(p.bytesRead), mib(p.bytesNew), p.note ?? ""])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const checks = report.checks.map((c) => `${c.ok ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`);
  return [...lines, "", ...checks, "", report.ok ? "demo: every check passed" : "demo: FAILED"].join("\n");
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const report = await runDemo({ log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${table(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
