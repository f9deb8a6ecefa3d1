/**
 * The interval between two firings of a share's schedule around a given time, which the "backup
 * overdue" alert compares against (last success older than twice this). Accepts the 5-field form and
 * the 6-field NCRONTAB form (seconds are ignored: schedules fire on whole minutes). Pure.
 * Guarantees: a positive number of ms for a valid expression that fires within 10 years either side;
 * undefined for an unparsable expression or one that never fires (never throws: telemetry must not).
 */
import { nextFire, parseCron, previousFire, type CronSchedule } from "./cron";

function parse(expression: string): CronSchedule | undefined {
  const fields = expression.trim().split(/\s+/).length;
  try {
    return parseCron(expression, { seconds: fields === 6 });
  } catch {
    return undefined;
  }
}

/** ms between the latest firing at or before `atMs` and the next one after it. */
export function expectedIntervalMs(expression: string, atMs: number): number | undefined {
  const schedule = parse(expression);
  if (schedule === undefined || !Number.isFinite(atMs)) return undefined;
  const previous = previousFire(schedule, atMs);
  if (previous === undefined) return undefined;
  const next = nextFire(schedule, previous);
  return next === undefined ? undefined : next - previous;
}
