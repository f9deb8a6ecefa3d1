/**
 * `npm run demo`, the README's main command, on a smaller share: every check passes and the report
 * holds the figures the summary table prints. Keeps the documented first command working.
 */
import { runDemo } from "../../../src/local/demo/run-demo";

test("the demo runs end to end and every check passes", async () => {
  const lines: string[] = [];
  const report = await runDemo({ log: (l) => lines.push(l), corpus: { dirs: 6, filesPerDir: 20, largeFiles: 2, largeBytes: 2 * 2 ** 20, seed: 3 } });
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.checks.map((c) => c.name)).toEqual(expect.arrayContaining(["full backup holds every file", "the renamed directory was not read again", "restored share is byte- and metadata-identical"]));
  expect(report.phases.map((p) => p.phase)).toContain("incremental backup (schedule timer)");
  expect(lines.some((l) => /backup-demo: (content|trees|completed)/.test(l))).toBe(true);
}, 120_000);
