/**
 * Timer triggers, locally: fires a registered timer function once, with the Timer object the host
 * passes (isPastDue, schedule status on the driver's clock). Scheduling by cron is the caller's
 * business: tests and the demo fire the timer when they want the tick to happen.
 * Guarantees: the handler's exception propagates to the caller, as the host would log a failed run.
 */
import type { Timer } from "@azure/functions";
import type { DurableHost } from "./durable-host";

export interface FireTimerOptions {
  readonly isPastDue?: boolean;
  /** When the previous tick ran (ms since the epoch); default: one minute before the driver's now. */
  readonly lastMs?: number;
}

export async function fireTimer(host: DurableHost, name: string, options: FireTimerOptions = {}): Promise<void> {
  const fn = host.registry.require(name, "timerTrigger");
  const now = host.clock.now();
  const timer: Timer = {
    isPastDue: options.isPastDue ?? false,
    schedule: { adjustForDST: true },
    scheduleStatus: { last: new Date(options.lastMs ?? now - 60_000).toISOString(), next: new Date(now + 60_000).toISOString(), lastUpdated: new Date(now).toISOString() },
  };
  await fn.handler(timer, host.invocationContext(fn));
}
