/**
 * Single-partition queries without the query-plan request @azure/cosmos sends beside every query.
 * The SDK (4.10) asks the gateway for a query plan at a query's first page even when the query names
 * its partition key, and never uses it for a plain filter within one partition; no option turns that
 * off (the Java SDK has `disallowQueryPlanRetrieval`, the JavaScript one does not). A scan queries one
 * partition per directory, so every directory cost two requests. Measured on an unchanged incremental
 * of 20,000 files (the local stack, six alternated pairs): 0.87-0.99 s against 1.06-1.29 s.
 * How: `QueryIterator` fetches the plan only while its `queryPlanPromise` is unset. It is set here to
 * an error, so a query that did need a plan (the gateway asks for one by answering 400) fails loudly,
 * naming this module, instead of running without one.
 * Only for pages read with `fetchNext`: `fetchAll` and the async iterator reset the iterator, and the
 * field with it, so they would fetch a plan again (correctly, just one request more).
 * Guarantees: results are the SDK's own (the query itself is untouched). An SDK without that field is
 * left as it is and simply keeps sending the plan request; the Cosmos adapter's tests count the plan
 * requests, so an upgrade that changes this is seen.
 */
import type { QueryIterator } from "@azure/cosmos";

/** What a query that needs a plan after all gets instead of one. */
export class QueryPlanSkippedError extends Error {
  constructor() {
    super("the Cosmos DB gateway asked for a query plan for a single-partition query; afb does not fetch plans for these (src/adapters/cosmos/no-query-plan.ts)");
    this.name = "QueryPlanSkippedError";
  }
}

/** `iterator`, set to send no query-plan request. Only for queries scoped to one partition key (`options.partitionKey`). */
export function withoutQueryPlan<T>(iterator: QueryIterator<T>): QueryIterator<T> {
  const internals = iterator as unknown as { queryPlanPromise?: unknown };
  if ("queryPlanPromise" in internals && internals.queryPlanPromise === undefined) {
    internals.queryPlanPromise = Promise.resolve(new QueryPlanSkippedError());
  }
  return iterator;
}
