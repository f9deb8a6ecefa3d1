/**
 * The retry policy every orchestration gives its activities: transient faults (throttling, resets,
 * a worker lost mid-activity) are retried by the host, 4 attempts, 5 s then doubling up to a minute.
 * Activities are idempotent, so a retry never does anything twice.
 */
import * as df from "durable-functions";

export function transientRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(5000, 4);
  retry.backoffCoefficient = 2;
  retry.maxRetryIntervalInMilliseconds = 60_000;
  return retry;
}
