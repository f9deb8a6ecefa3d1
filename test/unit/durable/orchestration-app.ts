/**
 * Small orchestrations and activities registered through the real durable-functions API, one per
 * behaviour the driver must reproduce. `registerOrchestrationApp()` must run after installRecorder().
 * `controls` lets a test steer the activities (failures left, gates to open).
 */
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";

export const controls = {
  /** Failures the "flaky" activity still has to produce, per key. */
  flakyFailuresLeft: new Map<string, number>(),
  flakyCalls: 0,
  /** Opened by the test to let the "gate" activity finish. */
  gate: Promise.resolve(),
  /** Flipped by the determinism test to make "fickle" change its decisions. */
  fickleFlag: false,
  doubled: [] as number[],
};

const fanOut: OrchestrationHandler = function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(context.df.callActivity("double", i));
  const results: number[] = yield context.df.Task.all(tasks);
  return results.reduce((a, b) => a + b, 0);
};

const retrying: OrchestrationHandler = function* (context: OrchestrationContext) {
  const key = context.df.getInput<string>();
  const result: string = yield context.df.callActivityWithRetry("flaky", new df.RetryOptions(1000, 3), key);
  return result;
};

const retryingFanOut: OrchestrationHandler = function* (context: OrchestrationContext) {
  const keys = context.df.getInput<string[]>();
  const retry = new df.RetryOptions(100, 4);
  retry.backoffCoefficient = 2;
  const tasks = keys.map((k) => context.df.callActivityWithRetry("flaky", retry, k));
  tasks.push(context.df.callActivity("double", 5));
  const results: unknown[] = yield context.df.Task.all(tasks);
  const after: number = yield context.df.callActivity("double", results.length);
  return { results, after };
};

const failing: OrchestrationHandler = function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ phase: "about to fail" });
  yield context.df.callActivityWithRetry("boom", new df.RetryOptions(500, 2), "x");
  return "unreachable";
};

const parent: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<number>();
  const viaChild: number = yield context.df.callSubOrchestrator("fanOut", input);
  const named: number = yield context.df.callSubOrchestrator("fanOut", 2, `${context.df.instanceId}-named-child`);
  return { viaChild, named };
};

const counter: OrchestrationHandler = function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  yield context.df.callActivity("double", n);
  if (n < 3) {
    context.df.continueAsNew(n + 1);
    return undefined;
  }
  return n;
};

const sleeper: OrchestrationHandler = function* (context: OrchestrationContext) {
  const start = context.df.currentUtcDateTime.getTime();
  yield context.df.createTimer(new Date(start + 3_600_000));
  const winner: df.Task = yield context.df.Task.any([context.df.createTimer(new Date(start + 7_200_000)), context.df.callActivity("double", 21)]);
  return { sleptMs: context.df.currentUtcDateTime.getTime() - start, raceResult: winner.result };
};

const reporter: OrchestrationHandler = function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ phase: "waiting at the gate", done: 0 });
  yield context.df.callActivity("gate");
  context.df.setCustomStatus({ phase: "done", done: 1 });
  return "opened";
};

const waiter: OrchestrationHandler = function* (context: OrchestrationContext) {
  const data: unknown = yield context.df.waitForExternalEvent("go");
  return data;
};

const fickle: OrchestrationHandler = function* (context: OrchestrationContext) {
  const first: number = yield context.df.callActivity("double", 1);
  // Deliberately non-deterministic (reads module state): the determinism test flips the flag.
  const next: number = yield context.df.callActivity(controls.fickleFlag ? "flaky" : "double", first);
  return next;
};

export function registerOrchestrationApp(): void {
  df.app.activity("double", {
    handler: (n: number) => {
      controls.doubled.push(n);
      return n * 2;
    },
  });
  df.app.activity("flaky", {
    handler: (key: string) => {
      controls.flakyCalls++;
      const left = controls.flakyFailuresLeft.get(key) ?? 0;
      if (left > 0) {
        controls.flakyFailuresLeft.set(key, left - 1);
        throw new Error(`transient fault for ${key} (${left} left)`);
      }
      return `ok:${key}`;
    },
  });
  df.app.activity("boom", {
    handler: () => {
      throw new Error("the share is gone");
    },
  });
  df.app.activity("gate", { handler: () => controls.gate });
  df.app.orchestration("fanOut", fanOut);
  df.app.orchestration("retrying", retrying);
  df.app.orchestration("retryingFanOut", retryingFanOut);
  df.app.orchestration("failing", failing);
  df.app.orchestration("parent", parent);
  df.app.orchestration("counter", counter);
  df.app.orchestration("sleeper", sleeper);
  df.app.orchestration("reporter", reporter);
  df.app.orchestration("waiter", waiter);
  df.app.orchestration("fickle", fickle);
}
