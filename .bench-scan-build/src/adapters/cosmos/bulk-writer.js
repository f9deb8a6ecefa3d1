"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.bulkWrite = bulkWrite;
const errors_1 = require("./errors");
const OPS_PER_REQUEST = 100;
const REQUESTS_IN_FLIGHT = 4;
const RETRYABLE = new Set([408, 429, 449, 503]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function sendAll(container, ops, statuses, indexes) {
    const slices = [];
    for (let i = 0; i < indexes.length; i += OPS_PER_REQUEST)
        slices.push(indexes.slice(i, i + OPS_PER_REQUEST));
    let next = 0;
    const worker = async () => {
        while (next < slices.length) {
            const slice = slices[next++];
            let responses;
            try {
                responses = await container.items.bulk(slice.map((k) => ops[k]), { continueOnError: true });
            }
            catch (err) {
                throw (0, errors_1.translateCosmosError)(err, `writing ${slice.length} nodes in bulk`);
            }
            slice.forEach((k, j) => (statuses[k] = responses[j]?.statusCode ?? 0));
        }
    };
    await Promise.all(Array.from({ length: Math.min(REQUESTS_IN_FLIGHT, slices.length) }, worker));
}
/** Runs `ops` and returns each one's final HTTP status. */
async function bulkWrite(container, ops, retry = {}) {
    const statuses = new Array(ops.length).fill(0);
    let pending = ops.map((_, k) => k);
    const attempts = retry.attempts ?? 8;
    for (let attempt = 1; pending.length > 0; attempt++) {
        await sendAll(container, ops, statuses, pending);
        pending = pending.filter((k) => RETRYABLE.has(statuses[k]));
        if (pending.length === 0 || attempt >= attempts)
            break;
        await sleep((retry.baseDelayMs ?? 50) * 2 ** (attempt - 1));
    }
    return statuses;
}
//# sourceMappingURL=bulk-writer.js.map