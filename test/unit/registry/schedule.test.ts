/** When a share is due: its cron fired after its last scheduled run (or its registration). */
import { dueAt, dueShares } from "../../../src/core/registry/schedule";
import type { Share } from "../../../src/core/registry/share";

const base: Share = {
  id: "s1",
  account: "acct1",
  shareName: "share1",
  auth: { mode: "managedidentity" },
  schedule: "0 2 * * *",
  retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 0 },
  include: [],
  exclude: [],
  enabled: true,
  createdAt: "2026-03-01T10:00:00.000Z",
};
const t = (iso: string) => Date.parse(iso);

describe("dueAt", () => {
  test("not due before the first fire time after registration", () => {
    expect(dueAt(base, t("2026-03-02T01:59:59Z"))).toEqual({ due: false });
  });

  test("due at and after the fire time, recorded under the fire time", () => {
    expect(dueAt(base, t("2026-03-02T02:00:00Z"))).toEqual({ due: true, fireTime: "2026-03-02T02:00:00.000Z" });
    expect(dueAt(base, t("2026-03-02T02:04:00Z"))).toEqual({ due: true, fireTime: "2026-03-02T02:00:00.000Z" });
  });

  test("once served, not due again until the next fire time", () => {
    const served = { ...base, lastScheduledRun: "2026-03-02T02:00:00.000Z" };
    expect(dueAt(served, t("2026-03-02T23:00:00Z"))).toEqual({ due: false });
    expect(dueAt(served, t("2026-03-03T02:00:00Z")).due).toBe(true);
  });

  test("missed fire times collapse into one run under the latest", () => {
    const stale = { ...base, lastScheduledRun: "2026-03-02T02:00:00.000Z" };
    expect(dueAt(stale, t("2026-03-06T12:00:00Z"))).toEqual({ due: true, fireTime: "2026-03-06T02:00:00.000Z" });
  });

  test("disabled shares are never due", () => {
    expect(dueAt({ ...base, enabled: false }, t("2026-03-09T02:00:00Z"))).toEqual({ due: false });
  });

  test("dueShares picks only the due ones", () => {
    const shares = [base, { ...base, id: "s2", schedule: "*/10 * * * *" }, { ...base, id: "s3", schedule: "0 0 1 1 *" }];
    expect(dueShares(shares, t("2026-03-01T10:25:00Z")).map((d) => [d.share.id, d.fireTime])).toEqual([["s2", "2026-03-01T10:20:00.000Z"]]);
  });
});
