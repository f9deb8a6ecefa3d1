/**
 * The local durable driver with the real durable-functions library: fan-out, retries, failures,
 * sub-orchestrations, continueAsNew, timers on the fake clock, external events, custom status while
 * running, single start per instance id, termination, and replay determinism.
 */
import { DurableHost, FakeClock, InstanceConflictError, installRecorder } from "../../../src/local/durable";
import { controls, registerOrchestrationApp } from "./orchestration-app";

const registry = installRecorder();
registerOrchestrationApp();

const START = Date.UTC(2026, 0, 1);

function newHost(): { host: DurableHost; clock: FakeClock } {
  const clock = new FakeClock(START);
  return { host: new DurableHost({ registry, clock, activityParallelism: 4 }), clock };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("local durable driver", () => {
  test("captures the registrations made through df.app", () => {
    expect(registry.require("fanOut", "orchestrationTrigger").name).toBe("fanOut");
    expect(registry.require("double", "activityTrigger").name).toBe("double");
    expect(() => registry.require("double", "orchestrationTrigger")).toThrow(/activityTrigger trigger, not orchestrationTrigger/);
    expect(() => registry.require("nope", "activityTrigger")).toThrow(/no function named "nope"/);
  });

  test("Task.all fans out one activity per item and fans the results in", async () => {
    const { host } = newHost();
    const id = await host.startNew("fanOut", { input: 50 });
    const status = await host.waitForCompletion(id);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toBe(2 * ((49 * 50) / 2));
    const c = host.counters(id);
    expect(c.activityExecutions).toBe(50);
    // One episode to schedule, one to fan in: all completions arrive in one batch.
    expect(c.orchestratorInvocations).toBe(2);
    // start, execution started, completed, 50 scheduled, started, 50 completed, completed, execution completed.
    expect(c.maxHistoryEvents).toBe(2 + 1 + 50 + 1 + 50 + 1 + 1);
  });

  test("callActivityWithRetry: an activity failing twice then succeeding completes, after two retry timers", async () => {
    const { host, clock } = newHost();
    controls.flakyFailuresLeft.set("k1", 2);
    const callsBefore = controls.flakyCalls;
    const id = await host.startNew("retrying", { input: "k1" });
    const status = await host.waitForCompletion(id);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toBe("ok:k1");
    expect(controls.flakyCalls - callsBefore).toBe(3);
    expect(clock.now() - START).toBe(2000);
    const fired = host.history(id).filter((e) => e.EventType === 11);
    expect(fired.map((e) => e.TimerId)).toEqual([1, 3]);
  });

  test("retries inside a fan-out keep the library's task ids in step", async () => {
    const { host, clock } = newHost();
    controls.flakyFailuresLeft.set("a", 1);
    controls.flakyFailuresLeft.set("b", 3);
    controls.flakyFailuresLeft.set("c", 0);
    const id = await host.startNew("retryingFanOut", { input: ["a", "b", "c"] });
    const status = await host.waitForCompletion(id);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: { results: ["ok:a", "ok:b", "ok:c", 10], after: 8 } });
    // b waits 100, 200 and 400 ms (back-off coefficient 2) before its fourth attempt.
    expect(clock.now() - START).toBe(700);
    const replayed = await host.replayActions("retryingFanOut", id, ["a", "b", "c"], host.history(id));
    expect(replayed).toHaveLength(host.actions(id).length);
  });

  test("completionBatch delivers completions in small batches, as Azure does, with the same results", async () => {
    const host = new DurableHost({ registry, clock: new FakeClock(START), completionBatch: 8 });
    const id = await host.startNew("fanOut", { input: 50 });
    expect((await host.waitForCompletion(id)).output).toBe(2450);
    expect(host.counters(id).orchestratorInvocations).toBe(1 + Math.ceil(50 / 8));
    const one = new DurableHost({ registry, clock: new FakeClock(START), completionBatch: 1 });
    controls.flakyFailuresLeft.set("d", 2);
    controls.flakyFailuresLeft.set("e", 1);
    const r = await one.startNew("retryingFanOut", { input: ["d", "e"] });
    expect((await one.waitForCompletion(r)).output).toEqual({ results: ["ok:d", "ok:e", 10], after: 6 });
    expect(() => new DurableHost({ registry, completionBatch: 0 })).toThrow(/completionBatch must be a positive integer/);
  });

  test("an activity that always fails fails the orchestration with its reason", async () => {
    const { host } = newHost();
    const id = await host.startNew("failing");
    const status = await host.waitForCompletion(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(String(status.output)).toContain("Orchestrator function 'failing' failed");
    expect(String(status.output)).toContain("Activity function 'boom' failed: the share is gone");
    expect(status.customStatus).toEqual({ phase: "about to fail" });
    expect(host.counters(id).activityExecutions).toBe(2);
  });

  test("sub-orchestrations run as their own instances, named or generated", async () => {
    const { host } = newHost();
    const id = await host.startNew("parent", { instanceId: "p1", input: 4 });
    const status = await host.waitForCompletion(id);
    expect(status.output).toEqual({ viaChild: 12, named: 2 });
    expect(host.getStatus("p1-named-child")?.runtimeStatus).toBe("Completed");
    const children = host.listStatuses().filter((s) => s.instanceId.startsWith("p1:"));
    expect(children).toHaveLength(1);
    expect(children[0].name).toBe("fanOut");
  });

  test("continueAsNew starts a fresh history each generation", async () => {
    const { host } = newHost();
    const id = await host.startNew("counter", { input: 0 });
    const status = await host.waitForCompletion(id);
    expect(status.output).toBe(3);
    const c = host.counters(id);
    expect(c.executions).toBe(4);
    expect(host.history(id)[1].Input).toBe("3");
    expect(c.maxHistoryEvents).toBeLessThanOrEqual(8);
  });

  test("durable timers fire on the fake clock, and Task.any takes the first finished task", async () => {
    const { host, clock } = newHost();
    const t0 = process.hrtime.bigint();
    const id = await host.startNew("sleeper");
    const status = await host.waitForCompletion(id);
    expect(Number(process.hrtime.bigint() - t0) / 1e9).toBeLessThan(10);
    expect(status.output).toEqual({ sleptMs: 3_600_000, raceResult: 42 });
    expect(clock.now() - START).toBe(3_600_000);
  });

  test("custom status is visible while running; a second start of the same id is refused", async () => {
    const { host } = newHost();
    let open!: () => void;
    controls.gate = new Promise<void>((r) => (open = r));
    await host.startNew("reporter", { instanceId: "backup-share-1" });
    await until(() => host.getStatus("backup-share-1")?.customStatus !== null, "a custom status");
    expect(host.getStatus("backup-share-1")).toMatchObject({ runtimeStatus: "Running", customStatus: { phase: "waiting at the gate", done: 0 } });
    await expect(host.startNew("reporter", { instanceId: "backup-share-1" })).rejects.toThrow(InstanceConflictError);
    await expect(host.startNew("fanOut", { instanceId: "backup-share-1", input: 1 })).rejects.toThrow(/already running/);
    open();
    const done = await host.waitForCompletion("backup-share-1");
    expect(done).toMatchObject({ runtimeStatus: "Completed", output: "opened", customStatus: { phase: "done", done: 1 } });
    controls.gate = Promise.resolve();
    await host.startNew("reporter", { instanceId: "backup-share-1" });
    expect((await host.waitForCompletion("backup-share-1")).runtimeStatus).toBe("Completed");
  });

  test("external events and termination", async () => {
    const { host } = newHost();
    const a = await host.startNew("waiter");
    await until(() => host.counters(a).orchestratorInvocations > 0, "the first episode");
    expect(host.raiseEvent(a, "go", { value: 7 })).toBe("raised");
    expect((await host.waitForCompletion(a)).output).toEqual({ value: 7 });
    expect(host.raiseEvent(a, "go", 1)).toBe("notRunning");
    const b = await host.startNew("waiter");
    expect(host.terminate(b, "operator said so")).toBe("terminated");
    expect(await host.waitForCompletion(b)).toMatchObject({ runtimeStatus: "Terminated", output: "operator said so" });
    expect(host.terminate(b, "again")).toBe("notRunning");
    expect(host.terminate("missing", "x")).toBe("notFound");
  });

  test("replaying a recorded history yields the same actions; a non-deterministic change is visible", async () => {
    const { host } = newHost();
    controls.flakyFailuresLeft.set("k2", 1);
    for (const [name, input] of [["fanOut", 5], ["retrying", "k2"], ["parent", 2], ["sleeper", undefined]] as const) {
      const id = await host.startNew(name, { input });
      await host.waitForCompletion(id);
      const recorded = host.actions(id);
      expect(recorded.length).toBeGreaterThan(0);
      const replayed = await host.replayActions(name, id, input, host.history(id));
      expect(JSON.parse(JSON.stringify(replayed))).toEqual(JSON.parse(JSON.stringify(recorded)));
    }
    const id = await host.startNew("fickle");
    await host.waitForCompletion(id);
    controls.fickleFlag = true;
    try {
      const replayed = await host.replayActions("fickle", id, undefined, host.history(id));
      expect(replayed.map((a) => a.functionName)).toEqual(["double", "flaky"]);
      expect(host.actions(id).map((a) => a.functionName)).toEqual(["double", "double"]);
    } finally {
      controls.fickleFlag = false;
    }
  });

  test("bad starts are refused with the reason", async () => {
    const { host } = newHost();
    await expect(host.startNew("double")).rejects.toThrow(/activityTrigger trigger, not orchestrationTrigger/);
    await expect(host.startNew("fanOut", { instanceId: "a/b" })).rejects.toThrow(/invalid instance id/);
  });
});
