/**
 * Runs one orchestration instance the way the Durable Task host does: replay the history through the
 * library's orchestrator, schedule the new actions, wait for their completions, append them as
 * history events, replay again, until the orchestrator completes, fails, continues as new or is
 * terminated.
 * Guarantees: task ids mirror the library's sequence numbers (new actions in scheduling order; for a
 * retried task, the retry timer and the next attempt take the next ids when their events are appended,
 * and such events are appended before any event that can resume user code, so the library allocates
 * the same ids in the same order); activities and sub-orchestrations take no fake time; a timer fires
 * when the instance has nothing else in flight, the fake clock then jumping to it; completions that
 * arrive together are appended in one episode (as the host batches them).
 */
import { EventType, encodeResult, historyEvent, type HistoryEvent } from "./history";
import type { InstanceRecord } from "./instance";
import { retryDelayMs } from "./retry";
import { ActionType, runEpisode, type OrchestratorAction, type RetryOptionsLike } from "./replay";
import type { DriverClock } from "./clock";

/** How an activity or a sub-orchestration ended. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

export type OrchestrationHandler = (trigger: unknown, context: unknown) => Promise<unknown>;

/** What the runner needs from the host. */
export interface RunnerServices {
  readonly clock: DriverClock;
  orchestrationHandler(name: string): OrchestrationHandler;
  runActivity(name: string, input: unknown, parent: InstanceRecord): Promise<Outcome>;
  runChild(name: string, instanceId: string, input: unknown, parent: InstanceRecord): Promise<Outcome>;
  /** Most completions appended per episode (the host's batching; default: all that are ready). */
  readonly completionBatch?: number;
  readonly log?: (level: string, functionName: string, args: unknown[]) => void;
}

interface Work {
  readonly kind: "activity" | "child";
  readonly name: string;
  readonly input: unknown;
  readonly childId: string;
  readonly retry: RetryOptionsLike | undefined;
  failures: number;
}

/** A history event ready to append; `allocating` ones make the library take a task id (see above). */
interface Ready {
  readonly event: HistoryEvent;
  readonly allocating: boolean;
  readonly after?: () => void;
}

/** Inputs the library JSON-encoded (strings) come back decoded; everything is copied, as a host would. */
export function decodeInput(raw: unknown, encoded: boolean): unknown {
  if (raw === undefined) return undefined;
  if (encoded && typeof raw === "string") return JSON.parse(raw);
  return JSON.parse(JSON.stringify(raw));
}

/** Runs every execution of `rec` (continueAsNew starts the next one) until it ends. */
export async function runInstance(rec: InstanceRecord, services: RunnerServices): Promise<void> {
  try {
    for (;;) {
      const next = await runExecution(rec, services);
      if (next === undefined) return;
      rec.input = next.input;
    }
  } catch (err) {
    rec.finish("Failed", `the local durable driver failed while running ${rec.name}: ${err instanceof Error ? err.message : String(err)}`, services.clock.now());
  }
}

async function runExecution(rec: InstanceRecord, svc: RunnerServices): Promise<{ input: unknown } | undefined> {
  const handler = svc.orchestrationHandler(rec.name);
  const now = (): number => svc.clock.now();
  rec.counters.executions++;
  rec.history = [];
  rec.actions = [];
  rec.runtimeStatus = "Running";
  rec.append(historyEvent(EventType.OrchestratorStarted, now()));
  rec.append(historyEvent(EventType.ExecutionStarted, now(), { Name: rec.name, Input: encodeResult(rec.input), ParentInstanceId: rec.parentInstanceId }));

  let nextId = 0;
  let seenActions = 0;
  let seenEvents = 0;
  const ready: Ready[] = [];
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<number, { fireAt: number; work?: Work }>();
  let awaitsEvents = false;

  const completion = (id: number, work: Work, outcome: Outcome): Ready => {
    const at = now();
    if (outcome.ok) {
      const type = work.kind === "activity" ? EventType.TaskCompleted : EventType.SubOrchestrationInstanceCompleted;
      return { event: historyEvent(type, at, { TaskScheduledId: id, Result: encodeResult(outcome.value) }), allocating: false };
    }
    const type = work.kind === "activity" ? EventType.TaskFailed : EventType.SubOrchestrationInstanceFailed;
    // A failed sub-orchestration's reason already names it ("Orchestrator function 'x' failed: ...").
    const reason = work.kind === "activity" ? `Activity function '${work.name}' failed: ${outcome.reason}` : outcome.reason;
    const event = historyEvent(type, at, { TaskScheduledId: id, Reason: reason, Details: "" });
    if (work.retry === undefined) return { event, allocating: false };
    // The library answers a failed attempt by waiting for a retry timer with the next id.
    return {
      event,
      allocating: true,
      after: () => {
        work.failures++;
        const timerId = nextId++;
        const fireAt = now() + retryDelayMs(work.retry as RetryOptionsLike, work.failures);
        rec.append(historyEvent(EventType.TimerCreated, now(), { FireAt: new Date(fireAt).toISOString() }, timerId));
        timers.set(timerId, { fireAt, work });
      },
    };
  };

  const start = (id: number, work: Work): void => {
    rec.append(
      work.kind === "activity"
        ? historyEvent(EventType.TaskScheduled, now(), { Name: work.name, Input: encodeResult(work.input) }, id)
        : historyEvent(EventType.SubOrchestrationInstanceCreated, now(), { Name: work.name, InstanceId: work.childId, Input: encodeResult(work.input) }, id),
    );
    const run = work.kind === "activity" ? svc.runActivity(work.name, work.input, rec) : svc.runChild(work.name, work.childId, work.input, rec);
    const p: Promise<void> = run.then((outcome) => {
      inFlight.delete(p);
      ready.push(completion(id, work, outcome));
    });
    inFlight.add(p);
  };

  const schedule = (a: OrchestratorAction): void => {
    switch (a.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const id = nextId++;
        start(id, { kind: "activity", name: String(a.functionName), input: decodeInput(a.input, true), childId: "", retry: a.retryOptions, failures: 0 });
        return;
      }
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const id = nextId++;
        const childId = a.instanceId ?? `${rec.instanceId}:${rec.counters.executions}:${id}`;
        start(id, { kind: "child", name: String(a.functionName), input: decodeInput(a.input, false), childId, retry: a.retryOptions, failures: 0 });
        return;
      }
      case ActionType.CreateTimer: {
        const id = nextId++;
        const fireAt = new Date(a.fireAt as Date | string).getTime();
        rec.append(historyEvent(EventType.TimerCreated, now(), { FireAt: new Date(fireAt).toISOString() }, id));
        timers.set(id, { fireAt });
        return;
      }
      case ActionType.WaitForExternalEvent:
        awaitsEvents = true;
        return;
      default:
        return;
    }
  };

  const timerFired = (id: number, fireAt: number, work: Work | undefined): Ready => {
    const event = historyEvent(EventType.TimerFired, now(), { TimerId: id, FireAt: new Date(fireAt).toISOString() });
    const retry = work?.retry;
    if (work === undefined || retry === undefined || work.failures >= retry.maxNumberOfAttempts) return { event, allocating: false };
    return { event, allocating: true, after: () => start(nextId++, work) };
  };

  /** Waits until at least one event can be appended; false if the instance was terminated meanwhile. */
  const collect = async (): Promise<Ready[] | undefined> => {
    for (;;) {
      if (rec.terminateReason !== undefined) return undefined;
      if (inFlight.size > 0 && ready.length === 0) await Promise.race([Promise.all([...inFlight]), rec.signal]);
      else if (ready.length === 0 && rec.inbox.length === 0) {
        if (timers.size > 0) svc.clock.advanceTo(Math.min(...[...timers.values()].map((t) => t.fireAt)));
        else if (awaitsEvents) await rec.signal;
        else throw new Error(`orchestrator ${rec.name} (${rec.instanceId}) is waiting on nothing: it yielded no pending task`);
      }
      if (rec.terminateReason !== undefined) return undefined;
      const items = ready.splice(0, svc.completionBatch ?? ready.length);
      for (const [id, t] of timers) {
        if (t.fireAt > now()) continue;
        timers.delete(id);
        items.push(timerFired(id, t.fireAt, t.work));
      }
      for (const e of rec.inbox.splice(0)) items.push({ event: historyEvent(EventType.EventRaised, now(), { Name: e.name, Input: encodeResult(e.data) }), allocating: false });
      if (items.length > 0) return [...items.filter((i) => i.allocating), ...items.filter((i) => !i.allocating)];
    }
  };

  for (;;) {
    const res = await runEpisode(handler, { name: rec.name, instanceId: rec.instanceId, parentInstanceId: rec.parentInstanceId, input: rec.input, history: rec.history, isReplaying: seenEvents > 0, log: svc.log === undefined ? undefined : (level, args) => svc.log?.(level, rec.name, args) });
    rec.counters.orchestratorInvocations++;
    rec.counters.replayedEvents += seenEvents;
    seenEvents = rec.history.length;
    if (rec.terminateReason !== undefined) return undefined;
    rec.customStatus = res.customStatus;
    rec.lastUpdatedMs = now();
    rec.append(historyEvent(EventType.OrchestratorCompleted, now()));
    if (res.kind === "failed") {
      rec.finish("Failed", `Orchestrator function '${rec.name}' failed: ${res.reason}`, now());
      return undefined;
    }
    const fresh = res.actions.slice(seenActions);
    seenActions = res.actions.length;
    rec.actions = res.actions;
    if (res.kind === "completed") {
      const again = fresh.find((a) => a.actionType === ActionType.ContinueAsNew);
      if (again !== undefined) {
        rec.append(historyEvent(EventType.ContinueAsNew, now(), { Result: encodeResult(again.input) }));
        return { input: decodeInput(again.input, true) };
      }
      rec.append(historyEvent(EventType.ExecutionCompleted, now(), { Result: encodeResult(res.output) }));
      rec.finish("Completed", res.output, now());
      return undefined;
    }
    for (const a of fresh) schedule(a);
    const batch = await collect();
    if (batch === undefined) return undefined;
    rec.append(historyEvent(EventType.OrchestratorStarted, now()));
    for (const item of batch) {
      rec.append(item.event);
      item.after?.();
    }
  }
}
