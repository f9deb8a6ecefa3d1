/**
 * The schedule timer and the backup-requests queue through the local durable host on Azurite: the
 * timer starts only the shares due by their own cron, skips (never doubles) a running one and starts
 * it on a later tick; queue messages start backups, and malformed ones fail with the reason and end
 * in backup-requests-poison after 5 deliveries, nothing lost.
 */
import { fireTimer, invokeHttp } from "../../../src/local/durable";
import { scheduleCronFrom } from "../../../src/functions/front-door";
import { registerWorld, registration, startWorld, type World } from "./front-door-world";

const functions = registerWorld();
let w: World;

beforeAll(async () => {
  w = await startWorld();
});

afterAll(async () => {
  await w?.stop();
});

const at = (iso: string) => Date.parse(iso);
const b64 = (s: string) => Buffer.from(s).toString("base64");

async function register(id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await invokeHttp(w.host, { method: "POST", path: "/api/shares", body: JSON.stringify(registration(id, extra)) });
  if (res.status !== 201) throw new Error(`registration of ${id} failed: ${res.status} ${res.text()}`);
}

function inputOf(instanceId: string): Record<string, unknown> | undefined {
  return w.host.getStatus(instanceId, { showInput: true })?.input as Record<string, unknown> | undefined;
}

async function finish(instanceId: string): Promise<void> {
  expect(w.host.raiseEvent(instanceId, "finish", "ok")).toBe("raised");
  await w.host.waitForCompletion(instanceId, 10_000);
}

describe("schedule timer", () => {
  test("registered every 5 minutes by default; AFB_SCHEDULE_CRON is checked as 6-field NCRONTAB", () => {
    expect(functions.require("scheduleBackups", "timerTrigger").trigger.schedule).toBe("0 */5 * * * *");
    expect(scheduleCronFrom(() => undefined)).toBe("0 */5 * * * *");
    expect(scheduleCronFrom((n) => (n === "AFB_SCHEDULE_CRON" ? "0 */15 * * * *" : undefined))).toBe("0 */15 * * * *");
    expect(() => scheduleCronFrom((n) => (n === "AFB_SCHEDULE_CRON" ? "*/5 * * * *" : undefined))).toThrow(/AFB_SCHEDULE_CRON must be a 6-field NCRONTAB expression .*needs 6 fields/);
  });

  test("starts only the due shares, skips a running one without doubling it, and starts it on a later tick", async () => {
    w.now = at("2026-03-01T10:03:00.000Z");
    await register("every10", { schedule: "*/10 * * * *" });
    await register("yearly", { schedule: "0 0 1 1 *" });
    await register("paused", { schedule: "*/10 * * * *", enabled: false });
    await register("busy", { schedule: "*/5 * * * *" });
      expect((await invokeHttp(w.host, { method: "POST", path: "/api/shares/busy/backups" })).status).toBe(202);

    w.now = at("2026-03-01T10:25:00.000Z");
    await fireTimer(w.host, "scheduleBackups");
    expect(inputOf("backup-every10")).toMatchObject({ shareId: "every10", trigger: "schedule", scheduledFor: "2026-03-01T10:20:00.000Z", requestedAt: "2026-03-01T10:25:00.000Z" });
    expect(w.host.getStatus("backup-yearly")).toBeUndefined();
    expect(w.host.getStatus("backup-paused")).toBeUndefined();
    expect(inputOf("backup-busy")).toMatchObject({ trigger: "http" });
    expect(w.logs.some((l) => /share busy is due \(2026-03-01T10:25:00.000Z\) but its backup backup-busy is still running: skipped/.test(l))).toBe(true);
    expect((await w.shares.get("every10"))?.lastScheduledRun).toBe("2026-03-01T10:20:00.000Z");
    expect((await w.shares.get("busy"))?.lastScheduledRun).toBeUndefined();

    // Same fire time again after every10 finished: already served, not started twice.
    await finish("backup-every10");
    await fireTimer(w.host, "scheduleBackups");
    expect(w.host.getStatus("backup-every10")?.runtimeStatus).toBe("Completed");
    expect(inputOf("backup-busy")).toMatchObject({ trigger: "http" });

    // The running one ended: it is still due, so the next tick starts it (once, for the latest fire time).
    await finish("backup-busy");
    w.now = at("2026-03-01T10:31:00.000Z");
    await fireTimer(w.host, "scheduleBackups");
    expect(inputOf("backup-busy")).toMatchObject({ trigger: "schedule", scheduledFor: "2026-03-01T10:30:00.000Z" });
    expect(inputOf("backup-every10")).toMatchObject({ trigger: "schedule", scheduledFor: "2026-03-01T10:30:00.000Z" });
    await finish("backup-busy");
    await finish("backup-every10");
  });
});

describe("backup-requests queue", () => {
  test("a request starts a backup; a repeat while it runs starts nothing more; malformed messages end in -poison with the reason", async () => {
    await register("queued");
    const queue = w.queues.getQueueClient("backup-requests");
    const secret = "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    const bad = ["not json at all", JSON.stringify({ type: "restore", shareId: "queued" }), JSON.stringify({ type: "backup" }), JSON.stringify({ type: "backup", shareId: "nobody" }), JSON.stringify({ type: "backup", shareId: "queued", note: secret })];
    await queue.sendMessage(b64(JSON.stringify({ type: "backup", shareId: "queued" })));
    for (const text of bad) await queue.sendMessage(b64(text));
    await queue.sendMessage(b64(JSON.stringify({ type: "backup", shareId: "queued" })));

    const report = await w.pump.drain("backupRequests");
    expect(report).toMatchObject({ succeeded: 2, poisoned: bad.length, failed: bad.length * 5 });
    expect(inputOf("backup-queued")).toMatchObject({ shareId: "queued", trigger: "queue" });
    expect(w.host.listStatuses().filter((s) => s.instanceId === "backup-queued")).toHaveLength(1);
    expect(w.logs.some((l) => /backup of share queued requested while backup-queued is running: not started twice/.test(l))).toBe(true);

    const reasons = [...new Set(report.errors)];
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/malformed message: expected a JSON object .*got text that is not JSON/),
        expect.stringMatching(/malformed message: snapshot: is required; target: is required/),
        expect.stringMatching(/malformed message: shareId: is required/),
        expect.stringMatching(/no share with id nobody is registered/),
        expect.stringMatching(/malformed message: note: looks like it holds a secret/),
      ]),
    );
    expect(report.errors.join("\n")).not.toContain("Eby8vdM02x");

    const poison = await w.queues.getQueueClient("backup-requests-poison").receiveMessages({ numberOfMessages: 32 });
    expect(poison.receivedMessageItems.map((m) => Buffer.from(m.messageText, "base64").toString()).sort()).toEqual([...bad].sort());
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
    await finish("backup-queued");
  });
});
