/**
 * The front door's HTTP functions through the local durable host on Azurite: register / list / get /
 * delete shares (400 naming the field, 404, 409), start a backup (202 with status URLs that answer,
 * 409 while one runs, also for two concurrent starts over real HTTP), and the operation status view.
 * `backupShare` is a stand-in orchestration that waits for a `finish` event (see front-door-world.ts).
 */
import * as df from "durable-functions";
import { isNotFound, statusOrUndefined } from "../../../src/functions/backup-starter";
import { invokeHttp } from "../../../src/local/durable";
import { registerWorld, registration, startWorld, type World } from "./front-door-world";

const functions = registerWorld();
let w: World;

beforeAll(async () => {
  w = await startWorld();
});

afterAll(async () => {
  await w?.stop();
});

const post = (path: string, body?: unknown) => invokeHttp(w.host, { method: "POST", path, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });
const get = (path: string) => invokeHttp(w.host, { method: "GET", path });
const del = (path: string) => invokeHttp(w.host, { method: "DELETE", path });
type Json = Record<string, unknown>;

describe("share registry routes", () => {
  test("every HTTP function needs a function key", () => {
    const http = functions.all().filter((f) => f.trigger.type === "httpTrigger");
    expect(http.map((f) => f.name).sort()).toEqual(["deleteShare", "getOperation", "getShare", "listShares", "registerShare", "startBackup"]);
    for (const f of http) expect(f.trigger.authLevel).toBe("function");
  });

  test("POST registers (201), GET reads it back, GET lists, DELETE forgets (204 then 404)", async () => {
    const created = await post("/api/shares", registration("docs", { exclude: ["*.tmp"], retention: { keepDaily: 3 } }));
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe("/api/shares/docs");
    const body = created.json() as Json;
    expect(body).toMatchObject({ id: "docs", shareName: "data-docs", enabled: true, exclude: ["*.tmp"], include: [], createdAt: "2026-03-01T10:03:00.000Z" });
    expect(body.retention).toEqual({ keepDaily: 3, keepWeekly: 4, keepMonthly: 12, keepYearly: 0 });
    expect((await get("/api/shares/docs")).json()).toEqual(body);
    await post("/api/shares", registration("alpha"));
    expect(((await get("/api/shares")).json() as { shares: Json[] }).shares.map((s) => s.id)).toEqual(["alpha", "docs"]);
    expect((await del("/api/shares/alpha")).status).toBe(204);
    expect((await get("/api/shares/alpha")).status).toBe(404);
    expect((await del("/api/shares/alpha")).status).toBe(404);
  });

  test("a taken id is 409", async () => {
    expect((await post("/api/shares", registration("twice"))).status).toBe(201);
    const again = await post("/api/shares", registration("twice", { shareName: "other" }));
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ field: "id", error: "a share with id twice is already registered" });
  });

  test.each([
    [registration("bad1", { schedule: "every night" }), "schedule", /5-field cron/],
    [registration("bad2", { auth: { mode: "password" } }), "auth.mode", /managedidentity/],
    [registration("bad3", { exclude: ["a/../b"] }), "exclude[0]", /'\.\.' segments/],
    [registration("Bad_Id"), "id", /lowercase/],
    [registration("bad4", { shareKey: "x" }), "shareKey", /not a known field/],
    [{ id: "bad5" }, "account", /is required/],
    ["{not json", "(body)", /not valid JSON/],
    ["", "(body)", /is required/],
    ["[1,2]", "(body)", /expected object/],
  ])("bad input is 400 naming the field (%#)", async (input, field, reason) => {
    const res = await post("/api/shares", input);
    expect(res.status).toBe(400);
    const body = res.json() as { field: string; reason: string; error: string; issues: Array<{ field: string }> };
    expect(body.field).toBe(field);
    expect(body.reason).toMatch(reason);
    expect(body.error).toContain(field);
  });

  test("a key, SAS or connection string is refused with a 400 that does not echo it, and nothing is stored", async () => {
    const key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    for (const [body, field] of [
      [registration("leak1", { auth: { mode: "connectionstring-setting", setting: `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${key}` } }), "auth.setting"],
      [registration("leak2", { account: "https://contoso.file.core.windows.net/?sv=2022-11-02&sig=SECRETSIG123" }), "account"],
      [{ ...registration("leak3"), notes: `AccountKey=${key}` }, "notes"],
    ] as const) {
      const res = await post("/api/shares", body);
      expect(res.status).toBe(400);
      expect((res.json() as Json).field).toBe(field);
      expect(res.text()).not.toContain(key.slice(0, 16));
      expect(res.text()).not.toContain("SECRETSIG123");
    }
    for (const id of ["leak1", "leak2", "leak3"]) expect((await get(`/api/shares/${id}`)).status).toBe(404);
  });

  test("unknown shares are 404, impossible ids 400 naming the id", async () => {
    expect((await get("/api/shares/nobody")).status).toBe(404);
    expect((await post("/api/shares/nobody/backups")).status).toBe(404);
    const bad = await get("/api/shares/NOT..valid");
    expect(bad.status).toBe(400);
    expect((bad.json() as Json).field).toBe("id");
  });
});

describe("backups and operations", () => {
  test("start: 202 with status URLs that answer; 409 while it runs; operation view through to completion", async () => {
    await post("/api/shares", registration("photos"));
    const started = await post("/api/shares/photos/backups");
    expect(started.status).toBe(202);
    const urls = started.json() as Record<string, string>;
    expect(urls.id).toBe("backup-photos");
    expect(started.headers.location).toBe(urls.statusQueryGetUri);
    const polled = await fetch(urls.statusQueryGetUri);
    expect(polled.status).toBe(202);
    expect(await polled.json()).toMatchObject({ runtimeStatus: "Running", input: { shareId: "photos", trigger: "http", requestedAt: "2026-03-01T10:03:00.000Z" } });

    const second = await post("/api/shares/photos/backups");
    expect(second.status).toBe(409);
    expect(second.json()).toMatchObject({ instanceId: "backup-photos", runtimeStatus: "Running" });
    expect((second.json() as Json).error).toMatch(/already running .*not started twice/);

    const running = (await get("/api/operations/backup-photos")).json();
    expect(running).toMatchObject({ instanceId: "backup-photos", name: "backupShare", runtimeStatus: "Running", phase: "backing up", progress: { dirs: 2, files: 10, bytes: 1234, errors: 0 }, result: null, errors: [] });

    expect(w.host.raiseEvent("backup-photos", "finish", "ok")).toBe("raised");
    await w.host.waitForCompletion("backup-photos", 10_000);
    const done = (await get("/api/operations/backup-photos")).json();
    expect(done).toMatchObject({ runtimeStatus: "Completed", phase: "completed", progress: { phase: "done", files: 20 }, result: { shareId: "photos", trigger: "http", files: 20 }, errors: [] });

    const again = await post("/api/shares/photos/backups");
    expect(again.status).toBe(202);
    w.host.raiseEvent("backup-photos", "finish", "fail");
    await w.host.waitForCompletion("backup-photos", 10_000);
    const failed = (await get("/api/operations/backup-photos")).json() as { phase: string; errors: string[]; result: unknown };
    expect(failed.phase).toBe("failed");
    expect(failed.result).toBeNull();
    expect(failed.errors.join(" ")).toContain("stand-in backup of photos failed on request");
  });

  test("two concurrent starts over real HTTP: exactly one 202, the other 409", async () => {
    await post("/api/shares", registration("racer"));
    const [a, b] = await Promise.all([1, 2].map(() => fetch(`${w.server.origin}/api/shares/racer/backups`, { method: "POST" })));
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    expect(w.host.listStatuses().filter((s) => s.instanceId === "backup-racer")).toHaveLength(1);
    w.host.raiseEvent("backup-racer", "finish", "ok");
    await w.host.waitForCompletion("backup-racer", 10_000);
  });

  test("the durable client's error texts the starter relies on (404 unknown, 409 running) are what the library produces", async () => {
    const client = df.getClient(w.host.invocationContext(functions.require("startBackup", "httpTrigger")));
    const unknown = await client.getStatus("backup-never").then(() => undefined, (e: unknown) => e);
    expect(isNotFound(unknown)).toBe(true);
    expect(await statusOrUndefined(client, "backup-never")).toBeUndefined();
    await client.startNew("backupShare", { instanceId: "backup-direct", input: { shareId: "direct", trigger: "http", requestedAt: "2026-03-01T10:03:00.000Z" } });
    const conflict = await client.startNew("backupShare", { instanceId: "backup-direct" }).then(() => undefined, (e: unknown) => e);
    expect((conflict as Error).message).toMatch(/unexpected status code: 409\b/);
    w.host.raiseEvent("backup-direct", "finish", "ok");
    await w.host.waitForCompletion("backup-direct", 10_000);
  });

  test("unknown operations are 404, malformed ids 400", async () => {
    expect((await get("/api/operations/backup-nothing")).status).toBe(404);
    const bad = await get("/api/operations/a%20b");
    expect(bad.status).toBe(400);
    expect((bad.json() as Json).field).toBe("instanceId");
  });
});
