/**
 * How outcomes become telemetry items, independent of any SDK: event names, string properties and
 * numeric metrics. Both the Application Insights adapter and the in-memory recorder use it, so the
 * recorder shows in tests exactly what Azure would receive. Pure.
 *
 * Dedup ratio (metric `afb.backup.dedup_ratio`): bytesRead / bytesNew, i.e. how many bytes were read
 * from the share per byte actually added to the repository. 1 means nothing deduplicated; higher is
 * better. Only emitted when bytesRead > 0 and bytesNew > 0 (a backup that stored nothing new has an
 * infinite ratio, which no chart can show: its `bytesNew` metric of 0 says it all).
 */
import { redact } from "../redact";
import { expectedIntervalMs } from "../registry/schedule-interval";
import type { BackupOutcome, RestoreOutcome } from "../ports/telemetry";

export const EVENTS = {
  backupCompleted: "BackupCompleted",
  backupFailed: "BackupFailed",
  restoreCompleted: "RestoreCompleted",
  restoreFailed: "RestoreFailed",
} as const;

export const METRICS = {
  backupDuration: "afb.backup.duration_ms",
  backupFiles: "afb.backup.files",
  backupBytesRead: "afb.backup.bytes_read",
  backupBytesNew: "afb.backup.bytes_new",
  backupDedupRatio: "afb.backup.dedup_ratio",
  backupErrors: "afb.backup.errors",
  restoreDuration: "afb.restore.duration_ms",
  restoreBytes: "afb.restore.bytes",
  restoreErrors: "afb.restore.errors",
} as const;

export interface TelemetryEvent {
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly measurements: Readonly<Record<string, number>>;
}

export interface TelemetryMetric {
  readonly name: string;
  readonly value: number;
  /** Dimensions: `share` (backups) or `target` (restores). */
  readonly properties: Readonly<Record<string, string>>;
}

function defined(record: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== "") out[k] = String(v);
  return out;
}

function numbers(record: Record<string, number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && Number.isFinite(v)) out[k] = v;
  return out;
}

/** bytesRead / bytesNew when both are positive, else undefined (see the module comment). */
export function dedupRatio(bytesRead: number | undefined, bytesNew: number | undefined): number | undefined {
  return bytesRead !== undefined && bytesNew !== undefined && bytesRead > 0 && bytesNew > 0 ? bytesRead / bytesNew : undefined;
}

/** `atMs` anchors the schedule interval (the outcome's end time; callers pass their clock). */
export function backupEvent(o: BackupOutcome, atMs: number): TelemetryEvent {
  const interval = o.schedule === undefined ? undefined : expectedIntervalMs(o.schedule, atMs);
  return {
    name: o.status === "succeeded" ? EVENTS.backupCompleted : EVENTS.backupFailed,
    properties: defined({
      shareId: o.shareId,
      share: o.share,
      trigger: o.trigger,
      status: o.status,
      instanceId: o.instanceId,
      snapshotId: o.snapshotId,
      schedule: o.schedule,
      expectedIntervalMs: interval,
      phase: o.phase,
      failure: o.failure === undefined ? undefined : redact(o.failure),
    }),
    measurements: numbers({
      durationMs: o.durationMs,
      files: o.files,
      dirs: o.dirs,
      bytesScanned: o.bytesScanned,
      bytesRead: o.bytesRead,
      bytesNew: o.bytesNew,
      renamed: o.renamed,
      moved: o.moved,
      deleted: o.deleted,
      errors: o.errors,
      dedupRatio: dedupRatio(o.bytesRead, o.bytesNew),
    }),
  };
}

export function backupMetrics(o: BackupOutcome): TelemetryMetric[] {
  const properties = { share: o.share, shareId: o.shareId, status: o.status };
  const values: Array<[string, number | undefined]> = [
    [METRICS.backupDuration, o.durationMs],
    [METRICS.backupFiles, o.files],
    [METRICS.backupBytesRead, o.bytesRead],
    [METRICS.backupBytesNew, o.bytesNew],
    [METRICS.backupDedupRatio, dedupRatio(o.bytesRead, o.bytesNew)],
    [METRICS.backupErrors, o.errors],
  ];
  return values.filter((v): v is [string, number] => v[1] !== undefined && Number.isFinite(v[1])).map(([name, value]) => ({ name, value, properties }));
}

export function restoreEvent(o: RestoreOutcome): TelemetryEvent {
  return {
    name: o.status === "succeeded" ? EVENTS.restoreCompleted : EVENTS.restoreFailed,
    properties: defined({
      snapshotId: o.snapshotId,
      target: o.target,
      status: o.status,
      instanceId: o.instanceId,
      failure: o.failure === undefined ? undefined : redact(o.failure),
    }),
    measurements: numbers({ durationMs: o.durationMs, files: o.files, bytes: o.bytes, errors: o.errors }),
  };
}

export function restoreMetrics(o: RestoreOutcome): TelemetryMetric[] {
  const properties = { target: o.target, status: o.status };
  const values: Array<[string, number | undefined]> = [
    [METRICS.restoreDuration, o.durationMs],
    [METRICS.restoreBytes, o.bytes],
    [METRICS.restoreErrors, o.errors],
  ];
  return values.filter((v): v is [string, number] => v[1] !== undefined && Number.isFinite(v[1])).map(([name, value]) => ({ name, value, properties }));
}
