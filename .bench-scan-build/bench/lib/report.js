"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderTable = renderTable;
exports.report = report;
/**
 * Shared output of every benchmark: a printed table and bench/results/<name>.json. Benchmarks compare
 * ratios measured in the same run (the machine is shared and noisy), so each row carries its own
 * reference figures and the ratio.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const node_os_1 = require("node:os");
function format(v) {
    if (typeof v === "string")
        return v;
    if (Number.isInteger(v))
        return v.toLocaleString("en-US");
    return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}
/** Renders rows as an aligned text table (columns are the union of the rows' value keys). */
function renderTable(rows) {
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
    const header = ["benchmark", ...keys, "goal", "met"];
    const body = rows.map((r) => [
        r.name,
        ...keys.map((k) => (k in r.values ? format(r.values[k]) : "")),
        r.goal ?? "",
        r.met === undefined ? "" : r.met ? "yes" : "NO",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
/** Prints the table and writes bench/results/<name>.json with the rows and the machine they ran on. */
function report(name, rows, extra = {}) {
    process.stdout.write(`\n${name}\n${renderTable(rows)}\n`);
    const dir = (0, node_path_1.join)(process.cwd(), "bench", "results");
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    const machine = { node: process.version, arch: (0, node_os_1.arch)(), cpus: (0, node_os_1.cpus)().length, cpuModel: (0, node_os_1.cpus)()[0]?.model, memGiB: Math.round((0, node_os_1.totalmem)() / 2 ** 30) };
    const doc = { name, ranAt: new Date().toISOString(), machine, rows, ...extra };
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, `${name}.json`), JSON.stringify(doc, null, 2) + "\n");
    process.stdout.write(`wrote bench/results/${name}.json\n`);
}
//# sourceMappingURL=report.js.map