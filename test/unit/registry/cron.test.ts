/** The 5-field cron parser and evaluator (UTC), and 6-field NCRONTAB parsing. */
import { CronError, nextFire, parseCron, previousFire } from "../../../src/core/registry/cron";

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("parseCron", () => {
  test("accepts lists, ranges, steps, names and Sunday as 0 or 7", () => {
    const s = parseCron("0,30 9-17/2 1,15 JAN-mar sun,7");
    expect(s.minutes.flatMap((v, i) => (v ? [i] : []))).toEqual([0, 30]);
    expect(s.hours.flatMap((v, i) => (v ? [i] : []))).toEqual([9, 11, 13, 15, 17]);
    expect(s.months.flatMap((v, i) => (v ? [i] : []))).toEqual([1, 2, 3]);
    expect(s.daysOfWeek.flatMap((v, i) => (v ? [i] : []))).toEqual([0]);
    expect(parseCron("5/20 * * * *").minutes.flatMap((v, i) => (v ? [i] : []))).toEqual([5, 25, 45]);
  });

  test.each([
    ["* * * *", /needs 5 fields/],
    ["60 * * * *", /minute field: 60 is outside 0-59/],
    ["* 24 * * *", /hour field: 24 is outside 0-23/],
    ["* * 0 * *", /day of month field: 0 is outside 1-31/],
    ["* * * 13 *", /month field: 13 is outside 1-12/],
    ["* * * * 8", /day of week field: 8 is outside 0-7/],
    ["*/0 * * * *", /minute field: step "0" must be a positive number/],
    ["5-1 * * * *", /minute field: range "5-1" runs backwards/],
    ["x * * * *", /minute field: "x" is not a number/],
    ["0 0 30 2 *", /never fires/],
    ["0 0 31 4,6 *", /never fires/],
  ])("refuses %j naming the field", (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(message);
  });

  test("6-field NCRONTAB (seconds first) for the timer setting", () => {
    expect(parseCron("0 */5 * * * *", { seconds: true }).minutes.filter(Boolean)).toHaveLength(12);
    expect(() => parseCron("*/5 * * * *", { seconds: true })).toThrow(/needs 6 fields/);
    expect(() => parseCron("61 */5 * * * *", { seconds: true })).toThrow(/second field/);
  });
});

describe("previousFire / nextFire (UTC)", () => {
  test("every 15 minutes", () => {
    const s = parseCron("*/15 * * * *");
    expect(iso(previousFire(s, t("2026-03-10T10:29:59.999Z")))).toBe("2026-03-10T10:15:00.000Z");
    expect(iso(previousFire(s, t("2026-03-10T10:30:00.000Z")))).toBe("2026-03-10T10:30:00.000Z");
    expect(iso(nextFire(s, t("2026-03-10T10:30:00.000Z")))).toBe("2026-03-10T10:45:00.000Z");
    expect(iso(nextFire(s, t("2026-03-10T23:59:00.000Z")))).toBe("2026-03-11T00:00:00.000Z");
  });

  test("daily at 02:30 crosses days, months and years backwards", () => {
    const s = parseCron("30 2 * * *");
    expect(iso(previousFire(s, t("2026-03-10T02:29:00Z")))).toBe("2026-03-09T02:30:00.000Z");
    expect(iso(previousFire(s, t("2026-01-01T01:00:00Z")))).toBe("2025-12-31T02:30:00.000Z");
  });

  test("day of month OR day of week when both are restricted (Vixie cron)", () => {
    const s = parseCron("0 0 13 * FRI");
    // 2026-03-13 is a Friday; 2026-03-06 is a Friday; 2026-04-13 a Monday.
    expect(iso(nextFire(s, t("2026-03-06T00:00:00Z")))).toBe("2026-03-13T00:00:00.000Z");
    expect(iso(nextFire(s, t("2026-04-10T00:00:00Z")))).toBe("2026-04-13T00:00:00.000Z");
    const onlyDow = parseCron("0 0 * * MON-FRI");
    expect(iso(previousFire(onlyDow, t("2026-03-08T12:00:00Z")))).toBe("2026-03-06T00:00:00.000Z");
  });

  test("rare schedules: Feb 29 is found years back and ahead", () => {
    const s = parseCron("0 12 29 2 *");
    expect(iso(previousFire(s, t("2027-06-01T00:00:00Z")))).toBe("2024-02-29T12:00:00.000Z");
    expect(iso(nextFire(s, t("2026-06-01T00:00:00Z")))).toBe("2028-02-29T12:00:00.000Z");
  });

  test("non-finite times are refused", () => {
    expect(() => previousFire(parseCron("* * * * *"), Number.NaN)).toThrow(/finite/);
  });
});
