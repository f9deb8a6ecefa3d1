"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROOT_PARENT = exports.ScanError = void 0;
exports.scanShare = scanShare;
/**
 * The scanner: walks a share directory by directory (depth first, a bounded number of listings in
 * flight), compares each listing with the index's children of that directory, and returns a change
 * set. It never reads file content and never writes the index (see applyChangeSet).
 * Guarantees: a renamed or moved directory is one change and its subtree comes out unchanged (its
 * children are filed under its own FileId), whatever the listing order; deletions are decided only
 * after the whole tree was seen; memory holds the directories waiting to be listed, one listing per
 * worker, and the changes. Moved directories are still listed (listing reads no content), so a moved
 * directory whose content also changed is still reported correctly.
 * A directory that vanishes while the scan runs is reported in `stats.errors` and treated as gone;
 * any other failure stops the scan with a ScanError and nothing to apply. A live share that changes
 * during the scan can yield a change set that mixes two states: scan a share snapshot for one state.
 */
const share_reader_1 = require("../ports/share-reader");
const node_index_1 = require("../ports/node-index");
const scan_state_1 = require("./scan-state");
const resolve_1 = require("./resolve");
const stats_1 = require("./stats");
/** A scan that could not finish; `cause` is the domain error of the reader or the index. */
class ScanError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = "ScanError";
    }
}
exports.ScanError = ScanError;
/** The share root's own parent: the root is the one child filed under FileId "0". */
exports.ROOT_PARENT = "0";
async function collect(entries) {
    const out = [];
    for await (const e of entries)
        out.push(e);
    return out;
}
async function childrenOf(index, shareId, fileId) {
    const out = new Map();
    for await (const r of index.listChildren(shareId, fileId))
        out.set(r.fileId, r);
    return out;
}
function describe(err) {
    return err instanceof Error ? err.message : String(err);
}
/** Scans the share behind `options.reader` against the index and returns what changed. */
async function scanShare(options) {
    const { shareId, reader, index } = options;
    (0, node_index_1.assertShareId)(shareId);
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new Error(`scan concurrency must be a positive integer, got ${concurrency}`);
    const ticker = new stats_1.ProgressTicker(options.now, options.progressIntervalMs ?? 1000, options.onProgress);
    const state = new scan_state_1.ScanState();
    let root;
    let rootIndexed;
    try {
        [root, rootIndexed] = await Promise.all([reader.getDirectory(""), childrenOf(index, shareId, exports.ROOT_PARENT)]);
    }
    catch (err) {
        throw new ScanError(`cannot start the scan of ${reader.description}: ${describe(err)}`, { cause: err });
    }
    const top = state.classifyDirectory({ path: "", fileId: exports.ROOT_PARENT, depth: -1, previous: undefined }, [{ ...root, name: "" }], rootIndexed);
    const listOne = async (dir) => {
        let entries;
        let indexed;
        try {
            [entries, indexed] = await Promise.all([collect(reader.listDirectory(dir.path)), childrenOf(index, shareId, dir.fileId)]);
        }
        catch (err) {
            if (err instanceof share_reader_1.PathNotFoundError) {
                state.vanished(dir, `directory vanished during the scan (deleted or moved): ${describe(err)}`);
                return [];
            }
            throw new ScanError(`scan of ${reader.description} failed at ${JSON.stringify(dir.path)}: ${describe(err)}`, { cause: err });
        }
        return state.classifyDirectory(dir, entries, indexed);
    };
    await walk(top, concurrency, listOne, () => ticker.tick(state.stats));
    let changes;
    try {
        changes = await (0, resolve_1.resolveChanges)(state, index, shareId);
    }
    catch (err) {
        throw new ScanError(`scan of ${reader.description} failed while reading deleted subtrees from the index: ${describe(err)}`, { cause: err });
    }
    const staleTrees = (0, resolve_1.dropStaleTrees)(changes, state.dirty);
    (0, resolve_1.countChanges)(state.stats, changes);
    ticker.finish(state.stats);
    return { shareId, snapshot: reader.snapshot, changes, staleTrees, stats: state.stats };
}
/** Depth-first over directories with at most `concurrency` in flight; rejects on the first failure. */
function walk(start, concurrency, visit, onVisited) {
    // A stack, children pushed in reverse: with concurrency 1 directories are listed in pre-order.
    const stack = [...start].reverse();
    let active = 0;
    let failed = false;
    return new Promise((resolve, reject) => {
        const pump = () => {
            while (!failed && active < concurrency && stack.length > 0) {
                const dir = stack.pop();
                active++;
                visit(dir).then((children) => {
                    active--;
                    for (let i = children.length - 1; i >= 0; i--)
                        stack.push(children[i]);
                    onVisited();
                    pump();
                }, (err) => {
                    active--;
                    if (!failed) {
                        failed = true;
                        reject(err);
                    }
                });
            }
            if (!failed && active === 0 && stack.length === 0)
                resolve();
        };
        pump();
    });
}
//# sourceMappingURL=scanner.js.map