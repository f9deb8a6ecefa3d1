/**
 * The telemetry port's in-process implementations: NO_TELEMETRY sends nothing and never fails, the
 * memory recorder records the same items the Application Insights adapter sends (names, redacted
 * failure, dedup ratio, schedule interval), and telemetryFromSettings is NO_TELEMETRY without a
 * connection string.
 */
import { telemetryFromSettings } from "../../../src/adapters/app-insights/telemetry";
import { MemoryTelemetry } from "../../../src/adapters/memory/telemetry";
import { NO_TELEMETRY, type Telemetry } from "../../../src/core/ports/telemetry";
import { dedupRatio, EVENTS, METRICS } from "../../../src/core/telemetry/items";
import { expectedIntervalMs } from "../../../src/core/registry/schedule-interval";

const AT = Date.UTC(2026, 10, 28, 9, 7);

describe.each<[string, () => Telemetry]>([
  ["NO_TELEMETRY", () => NO_TELEMETRY],
  ["MemoryTelemetry", () => new MemoryTelemetry(() => AT)],
])("%s behaves as a Telemetry", (_name, make) => {
  test("reporting never throws and flush resolves", async () => {
    const t = make();
    expect(() => t.backupFinished({ shareId: "s", share: "a", trigger: "cli", status: "failed", durationMs: 1, errors: 1, schedule: "not a cron" })).not.toThrow();
    expect(() => t.restoreFinished({ snapshotId: "x", target: "a", status: "succeeded", durationMs: 1, errors: 0 })).not.toThrow();
    await expect(t.flush()).resolves.toBeUndefined();
  });
});

test("the recorder holds the events and metrics Application Insights would get", async () => {
  const t = new MemoryTelemetry(() => AT);
  t.backupFinished({ shareId: "s1", share: "projects", trigger: "queue", status: "succeeded", durationMs: 10, bytesRead: 300, bytesNew: 100, errors: 0, schedule: "0 30 2 * * *" });
  t.backupFinished({ shareId: "s2", share: "hr", trigger: "http", status: "failed", durationMs: 5, errors: 2, failure: "bad https://a/b?sv=1&sig=abcdef123" });
  t.restoreFinished({ snapshotId: "snap", target: "hr", status: "failed", durationMs: 7, errors: 1, failure: "AccountKey=zzz;" });
  await t.flush();
  expect(t.events.map((e) => e.name)).toEqual([EVENTS.backupCompleted, EVENTS.backupFailed, EVENTS.restoreFailed]);
  expect(t.events[0].properties.expectedIntervalMs).toBe(String(24 * 3600_000));
  expect(t.events[0].measurements.dedupRatio).toBe(3);
  expect(t.events[1].properties.failure).toBe("bad https://a/b?sv=1&sig=***");
  expect(t.events[2].properties.failure).toBe("AccountKey=***;");
  expect(t.metrics.filter((m) => m.name === METRICS.backupDedupRatio)).toEqual([{ name: METRICS.backupDedupRatio, value: 3, properties: { share: "projects", shareId: "s1", status: "succeeded" } }]);
  expect(t.flushes).toBe(1);
});

test("dedup ratio is bytesRead/bytesNew, undefined when either is zero or missing", () => {
  expect(dedupRatio(1000, 250)).toBe(4);
  expect(dedupRatio(1000, 0)).toBeUndefined();
  expect(dedupRatio(0, 10)).toBeUndefined();
  expect(dedupRatio(undefined, 10)).toBeUndefined();
});

test("expectedIntervalMs reads 5- and 6-field schedules and refuses nonsense quietly", () => {
  expect(expectedIntervalMs("0 */6 * * *", AT)).toBe(6 * 3600_000);
  expect(expectedIntervalMs("0 0 */6 * * *", AT)).toBe(6 * 3600_000);
  expect(expectedIntervalMs("0 3 * * 1", AT)).toBe(7 * 24 * 3600_000);
  expect(expectedIntervalMs("61 * * * *", AT)).toBeUndefined();
});

test("without a connection string the settings give NO_TELEMETRY; a bad authentication string is named", () => {
  expect(telemetryFromSettings(() => undefined)).toBe(NO_TELEMETRY);
  const get = (name: string) => (name === "APPLICATIONINSIGHTS_CONNECTION_STRING" ? "InstrumentationKey=00000000-0000-4000-8000-000000000001" : "Authorization=Key");
  expect(() => telemetryFromSettings(get)).toThrow(/APPLICATIONINSIGHTS_AUTHENTICATION_STRING/);
});
