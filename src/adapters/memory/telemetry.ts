/**
 * In-memory telemetry for tests: records the exact events and metrics the Application Insights adapter
 * would send (same mapping, src/core/telemetry/items.ts), in call order. Guarantees: `flush` only
 * counts calls; nothing leaves the process.
 */
import type { BackupOutcome, RestoreOutcome, Telemetry } from "../../core/ports/telemetry";
import { backupEvent, backupMetrics, restoreEvent, restoreMetrics, type TelemetryEvent, type TelemetryMetric } from "../../core/telemetry/items";

export class MemoryTelemetry implements Telemetry {
  readonly events: TelemetryEvent[] = [];
  readonly metrics: TelemetryMetric[] = [];
  flushes = 0;

  constructor(private readonly now: () => number) {}

  backupFinished(o: BackupOutcome): void {
    this.events.push(backupEvent(o, this.now()));
    this.metrics.push(...backupMetrics(o));
  }

  restoreFinished(o: RestoreOutcome): void {
    this.events.push(restoreEvent(o));
    this.metrics.push(...restoreMetrics(o));
  }

  flush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }
}
