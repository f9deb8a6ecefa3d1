/**
 * The host's retry schedule for callActivityWithRetry / callSubOrchestratorWithRetry: the delay
 * before attempt n+1 after n failures. The library itself decides how many attempts are allowed
 * (maxNumberOfAttempts); retryTimeoutInMilliseconds is not applied (the library would keep waiting
 * for attempts the host refused), which the driver documents as a limitation.
 */
import type { RetryOptionsLike } from "./replay";

export function retryDelayMs(options: RetryOptionsLike, failures: number): number {
  const coefficient = options.backoffCoefficient && options.backoffCoefficient > 0 ? options.backoffCoefficient : 1;
  const delay = options.firstRetryIntervalInMilliseconds * coefficient ** Math.max(0, failures - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
}
