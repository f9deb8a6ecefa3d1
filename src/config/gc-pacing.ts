/**
 * Garbage-collector pacing for a process that streams repository bytes to a target (a restore).
 * A restore keeps a small live heap (~20 MB) while hundreds of MB pass through short-lived buffers
 * and objects; V8's adaptive growth keeps the next collection's limit close to that live size, so by
 * default a restore of 362 MB ran 27-31 full collections. A fixed factor of 4 (V8's own maximum,
 * instead of the adaptive one) cut them to 5-6: measured in one process, alternating,
 * restore wall time -18% and CPU -20%, peak RSS +10 to +20 MiB. A V8 flag, so process-wide: set by
 * composition roots (the CLI's restore and backup), never by core code.
 *
 * A backup's live heap is 25-45 MB; with the adaptive factor V8 let it grow to ~4x that between full
 * collections, and that slack, not live data, made its peak RSS: 286 / 353 MiB for first backups of
 * 50,000 / 200,000 files (4N/N 1.16-1.26, against a goal of 1.2). A fixed factor of 3 measured
 * 301 / 312-323 MiB (1.04-1.07) at the same CPU for a 1 GiB backup (10.53 s against 10.50 s); a factor
 * of 2 cut memory further but cost 11% more CPU there.
 *
 * V8 refuses a code cache made under other flags, and a cache is written at exit, under the flags of
 * that moment: a factor set only once the command runs made every cache of `afb backup` and
 * `afb restore` unusable at the next start (each recompiled the bundle, ~0.1 s). bin/afb.js therefore
 * sets the command's factor before the bundle is compiled (paceGcFor); the command sets it again,
 * to the same value, for callers that run it in process.
 */
import { setFlagsFromString } from "node:v8";

/** V8's heap-growing factor (1 + percent / 100) for streaming work. */
const STREAMING_GROWTH_PERCENT = 300;

/** Paces full collections for streaming: fewer of them, at a bounded memory cost. */
export function paceGcForStreaming(): void {
  setFlagsFromString(`--heap-growing-percent=${STREAMING_GROWTH_PERCENT}`);
}

/** V8's heap-growing factor for backups (see the module comment). */
const BACKUP_GROWTH_PERCENT = 200;

/** Bounds the heap's slack between full collections for a backup: peak memory that follows the live heap. */
export function paceGcForBackup(): void {
  setFlagsFromString(`--heap-growing-percent=${BACKUP_GROWTH_PERCENT}`);
}

/** The pacing of the CLI command named `command` (the first word of its arguments), if it has one. */
export function paceGcFor(command: string | undefined): void {
  if (command === "backup") paceGcForBackup();
  else if (command === "restore") paceGcForStreaming();
}
