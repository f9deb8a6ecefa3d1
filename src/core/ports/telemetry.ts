/**
 * The telemetry port: what a finished backup or restore reports for monitoring (dashboards, alerts).
 * Adapters: Application Insights (src/adapters/app-insights), an in-memory recorder for tests
 * (src/adapters/memory/telemetry.ts) and NO_TELEMETRY. Guarantees: reporting never throws and never
 * blocks; `flush` sends what is buffered and resolves even when sending fails (telemetry is best effort,
 * a backup never fails because monitoring is unreachable). Adapters redact `failure` before sending.
 */

export interface BackupOutcome {
  readonly shareId: string;
  readonly share: string;
  readonly instanceId?: string;
  readonly trigger: "schedule" | "http" | "queue" | "cli";
  readonly status: "succeeded" | "failed";
  readonly durationMs: number;
  readonly files?: number;
  readonly dirs?: number;
  readonly bytesScanned?: number;
  readonly bytesRead?: number;
  readonly bytesNew?: number;
  readonly renamed?: number;
  readonly moved?: number;
  readonly deleted?: number;
  readonly errors: number;
  readonly snapshotId?: string;
  /** 6-field NCRONTAB of the share's schedule, when it has one (alerts use it). */
  readonly schedule?: string;
  readonly phase?: string;
  readonly failure?: string;
}

export interface RestoreOutcome {
  readonly snapshotId: string;
  readonly target: string;
  readonly instanceId?: string;
  readonly status: "succeeded" | "failed";
  readonly durationMs: number;
  readonly files?: number;
  readonly bytes?: number;
  readonly errors: number;
  readonly failure?: string;
}

export interface Telemetry {
  backupFinished(o: BackupOutcome): void;
  restoreFinished(o: RestoreOutcome): void;
  /** Sends what is buffered (activities call it before returning). */
  flush(): Promise<void>;
}

/** Sends nothing, opens nothing: local runs without APPLICATIONINSIGHTS_CONNECTION_STRING. */
export const NO_TELEMETRY: Telemetry = Object.freeze({
  backupFinished: () => undefined,
  restoreFinished: () => undefined,
  flush: () => Promise.resolve(),
});
