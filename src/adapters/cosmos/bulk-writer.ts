/**
 * Bulk writes through `container.items.bulk`: 100 operations per request (the SDK's per-partition
 * limit), a few requests in flight, and the operations the service throttled (429) or could not serve
 * (408, 449, 503) retried with exponential backoff. Not `executeBulkOperations`: it holds partial
 * batches for a 1 s timer, so every small change set would wait a second; not transactional batch:
 * nothing here needs atomicity (see applyChangeSet) and cosmosdb-server's batch fails on deletes.
 * Guarantees: resolves with one status per operation, in order, once none is retryable or the retries
 * are spent; a request-level failure is translated (errors.ts).
 */
import type { Container, OperationInput } from "@azure/cosmos";
import { translateCosmosError } from "./errors";

const OPS_PER_REQUEST = 100;
const REQUESTS_IN_FLIGHT = 4;
const RETRYABLE = new Set([408, 429, 449, 503]);

export interface BulkRetryOptions {
  /** Attempts per operation (default 8). */
  readonly attempts?: number;
  /** First backoff in ms, doubled per attempt (default 50). */
  readonly baseDelayMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function sendAll(container: Container, ops: readonly OperationInput[], statuses: number[], indexes: readonly number[]): Promise<void> {
  const slices: number[][] = [];
  for (let i = 0; i < indexes.length; i += OPS_PER_REQUEST) slices.push(indexes.slice(i, i + OPS_PER_REQUEST) as number[]);
  let next = 0;
  const worker = async () => {
    while (next < slices.length) {
      const slice = slices[next++];
      let responses;
      try {
        responses = await container.items.bulk(slice.map((k) => ops[k]), { continueOnError: true });
      } catch (err) {
        throw translateCosmosError(err, `writing ${slice.length} nodes in bulk`);
      }
      slice.forEach((k, j) => (statuses[k] = responses[j]?.statusCode ?? 0));
    }
  };
  await Promise.all(Array.from({ length: Math.min(REQUESTS_IN_FLIGHT, slices.length) }, worker));
}

/** Runs `ops` and returns each one's final HTTP status. */
export async function bulkWrite(container: Container, ops: readonly OperationInput[], retry: BulkRetryOptions = {}): Promise<number[]> {
  const statuses = new Array<number>(ops.length).fill(0);
  let pending = ops.map((_, k) => k);
  const attempts = retry.attempts ?? 8;
  for (let attempt = 1; pending.length > 0; attempt++) {
    await sendAll(container, ops, statuses, pending);
    pending = pending.filter((k) => RETRYABLE.has(statuses[k]));
    if (pending.length === 0 || attempt >= attempts) break;
    await sleep((retry.baseDelayMs ?? 50) * 2 ** (attempt - 1));
  }
  return statuses;
}
