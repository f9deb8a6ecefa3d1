/**
 * Cron expressions, parsed and evaluated in UTC without a library: the 5-field form shares are
 * scheduled with (`minute hour day-of-month month day-of-week`) and the 6-field NCRONTAB form of
 * Functions timer triggers (a leading `second` field), which is only parsed, to validate a setting.
 * Syntax per field: `*`, `n`, `a-b`, `*\/s`, `a-b/s`, `n/s`, lists `x,y`; month names JAN-DEC and day
 * names SUN-SAT (day 7 is Sunday too). Day of month and day of week combine as in Vixie cron: when
 * both are restricted a day matches if EITHER does.
 * Guarantees: a malformed expression fails with the field and the reason; `previousFire` finds the
 * latest firing at or before a time (within 10 years, else undefined) in at most ~3,700 day steps.
 */

export interface CronSchedule {
  readonly source: string;
  readonly seconds: readonly boolean[];
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly daysOfMonth: readonly boolean[];
  readonly months: readonly boolean[];
  /** Index 0 = Sunday. */
  readonly daysOfWeek: readonly boolean[];
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
}

/** A cron expression that cannot be parsed; `message` names the field and the reason. */
export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CronError";
  }
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const SECOND: FieldSpec = { name: "second", min: 0, max: 59 };
const MINUTE: FieldSpec = { name: "minute", min: 0, max: 59 };
const HOUR: FieldSpec = { name: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: "day of month", min: 1, max: 31 };
const MONTH: FieldSpec = { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] };
const DAY_OF_WEEK: FieldSpec = { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SEARCH_DAYS = 3700;

function value(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.name === "month" ? 1 : 0);
  if (!/^\d{1,2}$/.test(text)) throw new CronError(`${spec.name} field: ${JSON.stringify(text)} is not a number${spec.names ? " or a name" : ""}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new CronError(`${spec.name} field: ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec): { set: boolean[]; restricted: boolean } {
  const set = new Array<boolean>(spec.max + 1).fill(false);
  for (const part of text.split(",")) {
    const m = /^([^/]+)(?:\/(.+))?$/.exec(part);
    if (m === null) throw new CronError(`${spec.name} field: ${JSON.stringify(part)} is not a value, range or step`);
    const [, range, stepText] = m;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) throw new CronError(`${spec.name} field: step ${JSON.stringify(stepText)} must be a positive number`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === "*") [lo, hi] = [spec.min, spec.max === 7 ? 6 : spec.max];
    else if (range.includes("-")) {
      const [a, b, ...rest] = range.split("-");
      if (rest.length > 0) throw new CronError(`${spec.name} field: ${JSON.stringify(range)} is not a range`);
      [lo, hi] = [value(a, spec), value(b, spec)];
      if (lo > hi) throw new CronError(`${spec.name} field: range ${JSON.stringify(range)} runs backwards`);
    } else {
      lo = value(range, spec);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) set[v] = true;
  }
  if (spec.name === "day of week" && set[7]) set[0] = true;
  return { set, restricted: text !== "*" && !text.startsWith("*/") };
}

/** Parses a 5-field expression, or a 6-field NCRONTAB one (leading seconds) with `{ seconds: true }`. */
export function parseCron(expression: string, options: { seconds?: boolean } = {}): CronSchedule {
  if (typeof expression !== "string") throw new CronError("a cron expression must be a string");
  const fields = expression.trim().split(/\s+/).filter((f) => f.length > 0);
  const expected = options.seconds === true ? 6 : 5;
  if (fields.length !== expected) {
    const form = expected === 6 ? "second minute hour day-of-month month day-of-week" : "minute hour day-of-month month day-of-week";
    throw new CronError(`a cron expression needs ${expected} fields (${form}), got ${fields.length}`);
  }
  const rest = expected === 6 ? fields.slice(1) : fields;
  const seconds = expected === 6 ? parseField(fields[0], SECOND).set : [true, ...new Array<boolean>(59).fill(false)];
  const dom = parseField(rest[2], DAY_OF_MONTH);
  const dow = parseField(rest[4], DAY_OF_WEEK);
  const schedule: CronSchedule = {
    source: fields.join(" "),
    seconds,
    minutes: parseField(rest[0], MINUTE).set,
    hours: parseField(rest[1], HOUR).set,
    daysOfMonth: dom.set,
    months: parseField(rest[3], MONTH).set,
    daysOfWeek: dow.set.slice(0, 7),
    domRestricted: dom.restricted,
    dowRestricted: dow.restricted,
  };
  if (!schedule.months.some((m, i) => m && DAY_OF_MONTH_MAX[i] >= firstDay(schedule.daysOfMonth)) && schedule.domRestricted && !schedule.dowRestricted) {
    throw new CronError(`day of month field: no month in the month field has day ${firstDay(schedule.daysOfMonth)}, so the schedule never fires`);
  }
  return schedule;
}

/** Most days each month (1-based index) can have. */
const DAY_OF_MONTH_MAX = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function firstDay(days: readonly boolean[]): number {
  return days.findIndex((d) => d);
}

function dayMatches(s: CronSchedule, day: Date): boolean {
  if (!s.months[day.getUTCMonth() + 1]) return false;
  const dom = s.daysOfMonth[day.getUTCDate()];
  const dow = s.daysOfWeek[day.getUTCDay()];
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  if (s.domRestricted) return dom;
  if (s.dowRestricted) return dow;
  return true;
}

/** Latest (hour, minute) of the schedule at or before `limit` minutes into the day, or -1. */
function latestMinuteOfDay(s: CronSchedule, limit: number): number {
  for (let h = Math.floor(limit / 60); h >= 0; h--) {
    if (!s.hours[h]) continue;
    const top = h === Math.floor(limit / 60) ? limit % 60 : 59;
    for (let m = top; m >= 0; m--) if (s.minutes[m]) return h * 60 + m;
  }
  return -1;
}

/**
 * The latest time (ms since the epoch, whole minutes) at or before `atMs` when a 5-field schedule
 * fires, or undefined if it fired not once in the 10 years before.
 */
export function previousFire(schedule: CronSchedule, atMs: number): number | undefined {
  if (!Number.isFinite(atMs)) throw new CronError(`previousFire needs a finite time, got ${atMs}`);
  const dayStart = Math.floor(atMs / DAY_MS) * DAY_MS;
  let limit = Math.floor((atMs - dayStart) / MINUTE_MS);
  for (let d = 0; d < SEARCH_DAYS; d++) {
    const start = dayStart - d * DAY_MS;
    if (dayMatches(schedule, new Date(start))) {
      const minute = latestMinuteOfDay(schedule, limit);
      if (minute >= 0) return start + minute * MINUTE_MS;
    }
    limit = 24 * 60 - 1;
  }
  return undefined;
}

/** The first time strictly after `afterMs` when a 5-field schedule fires (within 10 years), or undefined. */
export function nextFire(schedule: CronSchedule, afterMs: number): number | undefined {
  if (!Number.isFinite(afterMs)) throw new CronError(`nextFire needs a finite time, got ${afterMs}`);
  const firstMinute = (Math.floor(afterMs / MINUTE_MS) + 1) * MINUTE_MS;
  const dayStart = Math.floor(firstMinute / DAY_MS) * DAY_MS;
  let from = Math.floor((firstMinute - dayStart) / MINUTE_MS);
  for (let d = 0; d < SEARCH_DAYS; d++) {
    const start = dayStart + d * DAY_MS;
    if (dayMatches(schedule, new Date(start))) {
      for (let minute = from; minute < 24 * 60; minute++) {
        if (schedule.hours[Math.floor(minute / 60)] && schedule.minutes[minute % 60]) return start + minute * MINUTE_MS;
      }
    }
    from = 0;
  }
  return undefined;
}
