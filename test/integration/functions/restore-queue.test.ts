/**
 * restoreSnapshot beyond the HTTP routes, on the local stack: restore messages of the backup-requests
 * queue (started once per message even when it is delivered again; malformed ones end in -poison with
 * the reason), a restore cut into many small batches that continues as new with a bounded history and
 * replays to the same actions, and the activities' idempotence (a batch, a directory list and a
 * cleanup run twice change nothing the second time, under every conflict policy).
 */
import { createHash } from "node:crypto";
import type { ShareClient } from "@azure/storage-file-share";
import { RESTORE_SNAPSHOT_ORCHESTRATION, type RestoreOutput, type RestoreSnapshotInput } from "../../../src/core/orchestration/restore-snapshot-contract";
import type { RestoreRequest } from "../../../src/core/registry/restore-request";
import { listAll } from "../../../src/core/repository/object-store";
import { restoreActivities } from "../../../src/functions/activities/restore-run";
import { build } from "../backup/world";
import { readShare } from "../restore/world";
import { backupNow, newRegisteredShare, registerRestoreWorld, startRestoreAppWorld, waitFor, type RestoreAppWorld } from "./restore-world";

const functions = registerRestoreWorld();
let w: RestoreAppWorld;
let source: { id: string; share: ShareClient };
let snapshotId: string;

const CONTENT: Record<string, string> = { "top.txt": "top" };
for (let d = 0; d < 4; d++) {
  CONTENT[`d${d}/`] = "";
  for (let f = 0; f < 5; f++) CONTENT[`d${d}/f${f}.txt`] = `dir ${d} file ${f} `.repeat(d + f + 1);
}
const FILES = Object.keys(CONTENT).filter((k) => !k.endsWith("/")).length;

beforeAll(async () => {
  w = await startRestoreAppWorld();
  source = await newRegisteredShare(w);
  await build(source.share, CONTENT);
  snapshotId = (await backupNow(w, source.id)).snapshotId;
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Everything under `dir` of a share, bytes as SHA-256. */
async function tree(share: ShareClient, dir = "") {
  const out = new Map<string, unknown>();
  for (const [k, { bytes, metadata: _m, ...v }] of await readShare(share, dir)) out.set(dir === "" ? k : k.slice(dir.length + 1), { ...v, sha256: bytes === undefined ? undefined : createHash("sha256").update(bytes).digest("hex") });
  return out;
}

async function runDocs(): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of listAll(await w.services.store(), "runs/restore/")) keys.push(item.key);
  return keys;
}

describe("backup-requests queue: restore messages", () => {
  test("a restore message starts one restore (a redelivery starts nothing more); malformed ones end in -poison with the reason", async () => {
    const queue = w.queues.getQueueClient("backup-requests");
    const secret = "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    const good = { type: "restore", shareId: source.id, snapshot: "latest", paths: ["d1"], target: { share: "qdst1" } };
    const bad = [
      JSON.stringify({ type: "restore", shareId: source.id }),
      JSON.stringify({ type: "restore", shareId: "nobody", snapshot: "latest", target: { share: "qdst1" } }),
      JSON.stringify({ type: "restore", shareId: source.id, snapshot: "0000ffff", target: { share: "qdst1" } }),
      JSON.stringify({ type: "restore", shareId: source.id, snapshot: "latest", target: { share: "qdst1", dir: secret } }),
      JSON.stringify({ type: "purge", shareId: source.id }),
    ];
    const sent = await queue.sendMessage(b64(JSON.stringify(good)));
    for (const text of bad) await queue.sendMessage(b64(text));

    const report = await w.pump.drain("backupRequests");
    expect(report).toMatchObject({ succeeded: 1, poisoned: bad.length, failed: bad.length * 5 });
    const reasons = [...new Set(report.errors)];
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/malformed message: snapshot: is required; target: is required/),
        expect.stringMatching(/no share with id nobody is registered/),
        expect.stringMatching(/no snapshot .* starting with 0000ffff/),
        expect.stringMatching(/malformed message: target.dir: looks like it holds a secret/),
        expect.stringMatching(/malformed message: type: must be "backup" or "restore"/),
      ]),
    );
    expect(report.errors.join("\n")).not.toContain("Eby8vdM02x");
    const poison = await w.queues.getQueueClient("backup-requests-poison").receiveMessages({ numberOfMessages: 32 });
    expect(poison.receivedMessageItems.map((m) => Buffer.from(m.messageText, "base64").toString()).sort()).toEqual([...bad].sort());

    const instanceId = `restore-${source.id}-q-${sent.messageId.toLowerCase()}`;
    const done = await waitFor(w, instanceId);
    expect(done.runtimeStatus).toBe("Completed");
    expect(done.output).toMatchObject({ snapshotId, files: 5 });
    expect(await tree(w.service.getShareClient("qdst1"), "d1")).toEqual(await tree(source.share, "d1"));

    // The host delivers the same message again (e.g. the function timed out after the start): no second restore.
    const fn = functions.require("backupRequests", "queueTrigger");
    await fn.handler(good, w.host.invocationContext(fn, { triggerMetadata: { id: sent.messageId, dequeueCount: 2 } }));
    expect(w.logs.some((l) => l.includes(`restore ${instanceId} requested again while it is completed: not started twice`))).toBe(true);
    expect(w.host.listStatuses().filter((s) => s.instanceId === instanceId)).toHaveLength(1);
  });
});

describe("restoreSnapshot orchestration", () => {
  test("many small batches: it continues as new, each execution's history stays bounded, and the history replays to the same actions", async () => {
    const request: RestoreRequest = { shareId: source.id, snapshot: snapshotId, target: { share: "qdst2", dir: "all" } };
    const input: RestoreSnapshotInput = { request, requestedAt: "2026-11-28T06:00:00.000Z", tuning: { batchItems: 2, waveSize: 3, activitiesPerGeneration: 4 } };
    const instanceId = await w.host.startNew(RESTORE_SNAPSHOT_ORCHESTRATION, { instanceId: "restore-many-batches", input });
    const status = await waitFor(w, instanceId);
    expect(status.runtimeStatus).toBe("Completed");
    const output = status.output as RestoreOutput;
    expect(output).toMatchObject({ files: FILES, dirs: 4, bytes: Object.values(CONTENT).reduce((n, v) => n + v.length, 0), skipped: 0 });
    expect(status.customStatus).toMatchObject({ phase: "done", files: FILES, errors: 0, batches: Math.ceil((FILES + 4) / 2), batchesDone: Math.ceil((FILES + 4) / 2) });
    expect(await tree(w.service.getShareClient("qdst2"), "all")).toEqual(await tree(source.share));

    const counters = w.host.counters(instanceId);
    // plan + 13 batches + 1 dir list + cleanup, 4 activities per execution
    expect(counters.executions).toBeGreaterThanOrEqual(4);
    expect(counters.maxHistoryEvents).toBeLessThan(30);
    // The last execution's input (its carried state) is in its ExecutionStarted event.
    const history = w.host.history(instanceId);
    const started = history.find((e) => e.EventType === 0) as unknown as { Input: string };
    const lastInput = JSON.parse(started.Input) as RestoreSnapshotInput;
    expect(lastInput.carried?.generation).toBe(counters.executions - 1);
    const replayed = await w.host.replayActions(RESTORE_SNAPSHOT_ORCHESTRATION, instanceId, lastInput, history);
    expect(replayed).toEqual(w.host.actions(instanceId));
    expect(await runDocs()).toEqual([]);
  });
});

describe("restore activities are idempotent", () => {
  test.each(["fail", "skip", "overwrite", "rename"] as const)("running every step twice changes nothing the second time (%s)", async (conflict) => {
    const dst = w.service.getShareClient(`qidem-${conflict}`);
    await dst.create();
    if (conflict !== "fail") await build(dst, { "d0/": "", "d0/f0.txt": "a different file" });
    const a = restoreActivities(() => w.services);
    const request: RestoreRequest = { shareId: source.id, snapshot: snapshotId, paths: ["d0"], target: { share: dst.name }, conflict };
    const runId = `idem-${conflict}`;
    const planned = await a.plan({ runId, request });
    if (planned.kind !== "planned") throw new Error(planned.reason);
    expect(await a.plan({ runId, request })).toEqual(planned);
    const requestedAt = "2026-11-28T06:00:00.000Z";
    const first = await a.batch({ runId, request, requestedAt, batch: 0 });
    const before = await tree(dst);
    const second = await a.batch({ runId, request, requestedAt, batch: 0 });
    expect(await tree(dst)).toEqual(before);
    expect(second).toMatchObject({ files: 0, overwritten: 0, renamed: 0, bytesWritten: 0, dirsCreated: 0 });
    expect(second.verified).toBe(first.files + first.verified);
    expect(await a.finish({ runId, request, dirList: 0 })).toBe(1);
    expect(await a.finish({ runId, request, dirList: 0 })).toBe(1);
    expect(await a.cleanup({ runId })).toBe(planned.plan.batches + planned.plan.dirLists + 1);
    expect(await a.cleanup({ runId })).toBe(0);
    const files = [...(await tree(dst)).keys()].filter((k) => k.startsWith("d0/f"));
    expect(files).toHaveLength(conflict === "rename" ? 6 : 5);
    if (conflict === "skip") expect(first).toMatchObject({ files: 4, skipped: 1 });
    if (conflict === "overwrite") expect(first).toMatchObject({ files: 5, overwritten: 1 });
    if (conflict === "rename") expect(first).toMatchObject({ files: 5, renamed: 1 });
  });
});
