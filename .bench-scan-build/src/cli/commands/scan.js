"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.scanOptions = scanOptions;
exports.runScan = runScan;
exports.registerScan = registerScan;
/**
 * `afb scan (--share NAME | --dir PATH) [--snapshot ID] [--json]`: what changed in a share since the
 * node index was last updated, without changing anything. Also the shared plumbing of `afb index sync`
 * (index-sync.ts). Guarantees: stdout carries only the result (one JSON object with --json); stderr
 * says which environment and index were used (names, never secrets) and, on a TTY, a progress line.
 */
const commander_1 = require("commander");
const node_path_1 = require("node:path");
const client_1 = require("../../adapters/azure-files/client");
const share_reader_1 = require("../../adapters/azure-files/share-reader");
const connect_1 = require("../../adapters/cosmos/connect");
const node_index_1 = require("../../adapters/cosmos/node-index");
const share_reader_2 = require("../../adapters/local-fs/share-reader");
const settings_1 = require("../../config/settings");
const change_set_1 = require("../../core/scan/change-set");
const scanner_1 = require("../../core/scan/scanner");
const share_id_1 = require("../../core/scan/share-id");
const stack_1 = require("../../local/stack");
function positive(value) {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > 256)
        throw new commander_1.InvalidArgumentError(`must be an integer from 1 to 256 (got "${value}")`);
    return n;
}
/** Adds the options `scan` and `index sync` share. */
function scanOptions(cmd) {
    return cmd
        .option("--share <name>", "a share of the Files account the environment resolves to")
        .option("--dir <path>", "a directory on disk instead (e.g. a mounted share)")
        .option("--json", "print one JSON object with the counts")
        .option("--concurrency <n>", "directory listings in flight (default 8)", positive);
}
function checkTarget(flags) {
    if ((flags.share === undefined) === (flags.dir === undefined))
        throw new Error("give exactly one of --share NAME or --dir PATH");
    if (flags.dir !== undefined && flags.snapshot !== undefined)
        throw new Error("--snapshot needs --share: a local directory has no share snapshots");
}
const bytes = (n) => (n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 30).toFixed(2)} GiB`);
function progressLine(s) {
    return `\rscanning: ${s.dirs} dirs, ${s.files} files, ${bytes(s.bytes)}`;
}
function table(cs, applied) {
    const s = cs.stats;
    const rows = [
        ["share id", cs.shareId + (cs.snapshot ? ` (snapshot ${cs.snapshot})` : "")],
        ["files", `${s.files} (${bytes(s.bytes)})`],
        ["dirs", String(s.dirs)],
        ["added", String(s.added)],
        ["modified", String(s.modified)],
        ["metadata only", String(s.metadataOnly)],
        ["renamed", String(s.renamed)],
        ["moved", String(s.moved)],
        ["deleted", String(s.deleted)],
        ["to read", bytes(s.candidateBytes)],
        ["errors", String(s.errors.length)],
    ];
    if (applied !== undefined)
        rows.push(["index writes", `${applied.upserts} upserts, ${applied.deletes} deletes`]);
    return rows.map(([k, v]) => `${k.padEnd(14)} ${v}`).join("\n") + "\n";
}
/** Scans (and with `apply`, writes the changes to the index); prints the result. */
async function runScan(flags, apply) {
    checkTarget(flags);
    const err = (text) => process.stderr.write(text);
    const env = await (0, stack_1.resolveEnvironment)({ services: flags.dir !== undefined ? ["cosmos"] : ["files", "cosmos"] });
    let cosmos;
    try {
        err(`afb: environment: ${env.description}\n`);
        let reader;
        let location;
        if (flags.dir !== undefined) {
            reader = new share_reader_2.LocalShareReader(flags.dir);
            location = `local:${(0, node_path_1.resolve)(flags.dir)}`;
        }
        else {
            const service = (0, client_1.createShareServiceClient)((0, client_1.filesCredentialsFromSettings)(env.lookup));
            reader = share_reader_1.AzureShareReader.of(service, flags.share, flags.snapshot);
            location = `${service.url.split("?")[0].replace(/\/+$/, "")}/${flags.share}`;
        }
        cosmos = (0, connect_1.createCosmosClient)(env.lookup);
        const index = await node_index_1.CosmosNodeIndex.open({ client: cosmos, database: env.lookup("AFB_COSMOS_DATABASE") ?? settings_1.DEFAULTS.cosmosDatabase });
        const shareId = (0, share_id_1.shareIdOf)(location);
        err(`afb: ${apply ? "syncing" : "scanning"} ${reader.description} against ${index.description} (share id ${shareId})\n`);
        const tty = process.stderr.isTTY === true;
        const cs = await (0, scanner_1.scanShare)({
            shareId,
            reader,
            index,
            now: () => Date.now(),
            concurrency: flags.concurrency,
            progressIntervalMs: 250,
            onProgress: tty ? (s) => err(progressLine(s)) : undefined,
        });
        if (tty)
            err("\n");
        const applied = apply ? await (0, change_set_1.applyChangeSet)(index, cs) : undefined;
        for (const p of cs.stats.errors)
            err(`afb: ${p.path}: ${p.message}\n`);
        if (flags.json) {
            const { errors, ...counts } = cs.stats;
            process.stdout.write(JSON.stringify({ shareId, snapshot: cs.snapshot ?? null, ...counts, errors, ...(applied ? { applied } : {}) }) + "\n");
        }
        else
            process.stdout.write(table(cs, applied));
    }
    finally {
        cosmos?.dispose();
        await env.stop();
    }
}
function registerScan(program) {
    scanOptions(program.command("scan").description("Report what changed in a share since the node index was last updated (changes nothing)."))
        .option("--snapshot <id>", "scan this share snapshot instead of the live share")
        .action((flags) => runScan(flags, false));
}
//# sourceMappingURL=scan.js.map