/**
 * The local Durable Functions host: runs the orchestrations and activities registered through the
 * real durable-functions library, in this process, on an injected clock, and answers the durable
 * client's operations (start, status, terminate, raise event, purge, wait).
 * Guarantees: one instance id runs at most once at a time (a second start while it is Pending or
 * Running is refused with InstanceConflictError; a finished one is replaced, as in Azure); activities
 * run with at most `activityParallelism` in flight over all instances; histories stay in memory (or
 * only their counters, with retainHistory false) so tests and benchmarks can assert their bounds.
 */
import { randomUUID } from "node:crypto";
import { InvocationContext } from "@azure/functions";
import { FakeClock, type DriverClock } from "./clock";
import type { HistoryEvent } from "./history";
import { InstanceRecord, type InstanceCounters, type InstanceStatus } from "./instance";
import { runInstance, type OrchestrationHandler, type Outcome } from "./orchestration-runner";
import { runEpisode, type OrchestratorAction } from "./replay";
import type { FunctionRegistry, RegisteredFunction } from "./registry";
import { WorkPool } from "./work-pool";
import { reasonOf } from "./history";

/** A start refused because an instance with that id is still running. */
export class InstanceConflictError extends Error {
  constructor(readonly instanceId: string, readonly runtimeStatus: string) {
    super(`an orchestration with instance id ${JSON.stringify(instanceId)} is already ${runtimeStatus.toLowerCase()}: a second start is refused until it ends`);
    this.name = "InstanceConflictError";
  }
}

export type LogSink = (level: string, functionName: string, args: unknown[]) => void;

export interface DurableHostOptions {
  readonly registry: FunctionRegistry;
  /** Default: a FakeClock, so timers and retry back-offs never really wait. */
  readonly clock?: DriverClock;
  /** Activities in flight at once over all instances (the host's maxConcurrentActivityFunctions; default 8). */
  readonly activityParallelism?: number;
  /** Keep each instance's history after it ends (default true); counters are always kept. */
  readonly retainHistory?: boolean;
  /** Where context.log and friends go (default: nowhere). */
  readonly log?: LogSink;
  readonly taskHub?: string;
  /**
   * Most completions appended to a history per orchestrator episode (default: all that are ready).
   * Azure delivers completions in batches as they arrive; a small value reproduces its replay cost.
   */
  readonly completionBatch?: number;
}

/** Counters summed over every instance the host ran. */
export interface HostStats extends InstanceCounters {
  readonly instances: number;
  /** The instance whose single execution had the longest history. */
  readonly maxHistoryInstanceId: string | undefined;
}

export interface StartOptions {
  readonly instanceId?: string;
  readonly input?: unknown;
}

export class DurableHost {
  readonly clock: DriverClock;
  readonly registry: FunctionRegistry;
  readonly taskHub: string;
  /** The durable client binding's data, injected into every context that declares one (set by listen()). */
  clientData: unknown = undefined;
  /** Origin of HTTP requests built for functions (the local server's once it listens; Core Tools' port otherwise). */
  origin = "http://localhost:7071";
  private readonly pool: WorkPool;
  private readonly retainHistory: boolean;
  private readonly completionBatch: number | undefined;
  private readonly log: LogSink;
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly running = new Set<Promise<void>>();

  constructor(options: DurableHostOptions) {
    this.registry = options.registry;
    this.clock = options.clock ?? new FakeClock();
    this.pool = new WorkPool(options.activityParallelism ?? 8);
    this.retainHistory = options.retainHistory ?? true;
    this.log = options.log ?? (() => undefined);
    this.taskHub = options.taskHub ?? "afb";
    this.completionBatch = options.completionBatch;
    if (this.completionBatch !== undefined && (!Number.isInteger(this.completionBatch) || this.completionBatch < 1)) {
      throw new Error(`completionBatch must be a positive integer, got ${this.completionBatch}`);
    }
  }

  /** Starts `name`; resolves with the instance id once the instance is registered (Pending). */
  async startNew(name: string, options: StartOptions = {}): Promise<string> {
    return this.launch(name, options.instanceId ?? randomUUID().replace(/-/g, ""), options.input, "").instanceId;
  }

  getStatus(instanceId: string, options: { showHistory?: boolean; showInput?: boolean } = {}): InstanceStatus | undefined {
    return this.instances.get(instanceId)?.status(options.showHistory, options.showInput);
  }

  listStatuses(): InstanceStatus[] {
    return [...this.instances.values()].map((r) => r.status(false, false));
  }

  /** Terminates a running instance: "terminated", "notFound", or "notRunning" (already ended). */
  terminate(instanceId: string, reason: string): "terminated" | "notFound" | "notRunning" {
    const rec = this.instances.get(instanceId);
    if (rec === undefined) return "notFound";
    if (!rec.isActive) return "notRunning";
    rec.terminateReason = reason;
    rec.finish("Terminated", reason, this.clock.now());
    rec.poke();
    return "terminated";
  }

  /** Delivers an external event: "raised", "notFound", or "notRunning". */
  raiseEvent(instanceId: string, eventName: string, data: unknown): "raised" | "notFound" | "notRunning" {
    const rec = this.instances.get(instanceId);
    if (rec === undefined) return "notFound";
    if (!rec.isActive) return "notRunning";
    rec.inbox.push({ name: eventName, data: data === undefined ? undefined : JSON.parse(JSON.stringify(data)) });
    rec.poke();
    return "raised";
  }

  /** Forgets an ended instance; false if unknown or still running. */
  purge(instanceId: string): boolean {
    const rec = this.instances.get(instanceId);
    if (rec === undefined || rec.isActive) return false;
    return this.instances.delete(instanceId);
  }

  /** Resolves with the final status; rejects after `timeoutMs` of real time (default: no limit). */
  async waitForCompletion(instanceId: string, timeoutMs?: number): Promise<InstanceStatus> {
    const rec = this.instances.get(instanceId);
    if (rec === undefined) throw new Error(`no orchestration instance ${JSON.stringify(instanceId)}`);
    if (timeoutMs === undefined) await rec.finished;
    else {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`orchestration ${JSON.stringify(instanceId)} did not finish within ${timeoutMs} ms (status ${rec.runtimeStatus})`)), timeoutMs);
      });
      try {
        await Promise.race([rec.finished, timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
    return rec.status(false);
  }

  /** Resolves when every instance started so far (and their children) has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** The current execution's history (a copy), for determinism checks and debugging. */
  history(instanceId: string): HistoryEvent[] {
    return this.record(instanceId).history.map((e) => ({ ...e, Timestamp: new Date(e.Timestamp) }));
  }

  /** The actions the orchestrator scheduled in the current execution, as the driver saw them. */
  actions(instanceId: string): OrchestratorAction[] {
    return [...this.record(instanceId).actions];
  }

  /** Replays `history` through the registered orchestrator once and returns the actions it decides. */
  async replayActions(name: string, instanceId: string, input: unknown, history: HistoryEvent[]): Promise<OrchestratorAction[]> {
    const res = await runEpisode(this.orchestrationHandler(name), { name, instanceId, parentInstanceId: "", input, history, isReplaying: true });
    if (res.kind === "failed") throw new Error(`replay of ${name} failed: ${res.reason}`);
    return res.actions;
  }

  counters(instanceId: string): InstanceCounters {
    return { ...this.record(instanceId).counters };
  }

  stats(): HostStats {
    const sum: InstanceCounters = { executions: 0, orchestratorInvocations: 0, replayedEvents: 0, historyEvents: 0, maxHistoryEvents: 0, activityExecutions: 0 };
    let maxId: string | undefined;
    for (const rec of this.instances.values()) {
      const c = rec.counters;
      sum.executions += c.executions;
      sum.orchestratorInvocations += c.orchestratorInvocations;
      sum.replayedEvents += c.replayedEvents;
      sum.historyEvents += c.historyEvents;
      sum.activityExecutions += c.activityExecutions;
      if (c.maxHistoryEvents > sum.maxHistoryEvents) {
        sum.maxHistoryEvents = c.maxHistoryEvents;
        maxId = rec.instanceId;
      }
    }
    return { ...sum, instances: this.instances.size, maxHistoryInstanceId: maxId };
  }

  /** An invocation context for `fn`, with the durable client binding filled in when it declares one. */
  invocationContext(fn: RegisteredFunction, extra: { triggerMetadata?: Record<string, unknown> } = {}): InvocationContext {
    const context = new InvocationContext({
      functionName: fn.name,
      invocationId: randomUUID(),
      logHandler: (level, ...args) => this.log(level, fn.name, args),
      options: { trigger: fn.trigger, extraInputs: [...fn.extraInputs], extraOutputs: [...fn.extraOutputs] },
      triggerMetadata: extra.triggerMetadata,
    });
    for (const input of fn.extraInputs) {
      if (input.type !== "durableClient" && input.type !== "orchestrationClient") continue;
      if (this.clientData === undefined) throw new Error(`function ${fn.name} uses the durable client: start the local host's HTTP API (listen) before invoking it`);
      context.extraInputs.set(input, this.clientData);
    }
    return context;
  }

  private record(instanceId: string): InstanceRecord {
    const rec = this.instances.get(instanceId);
    if (rec === undefined) throw new Error(`no orchestration instance ${JSON.stringify(instanceId)}`);
    return rec;
  }

  private orchestrationHandler(name: string): OrchestrationHandler {
    return this.registry.require(name, "orchestrationTrigger").handler as OrchestrationHandler;
  }

  private launch(name: string, instanceId: string, input: unknown, parentInstanceId: string): InstanceRecord {
    if (typeof instanceId !== "string" || instanceId.length === 0 || /[/\\#?]/.test(instanceId)) {
      throw new Error(`invalid instance id ${JSON.stringify(instanceId)}: it must be non-empty, without / \\ # ?`);
    }
    this.orchestrationHandler(name);
    const existing = this.instances.get(instanceId);
    if (existing?.isActive) throw new InstanceConflictError(instanceId, existing.runtimeStatus);
    const copy = input === undefined ? undefined : JSON.parse(JSON.stringify(input));
    const rec = new InstanceRecord(name, instanceId, parentInstanceId, copy, this.clock.now());
    this.instances.set(instanceId, rec);
    const run = runInstance(rec, {
      clock: this.clock,
      orchestrationHandler: (n) => this.orchestrationHandler(n),
      runActivity: (n, i, parent) => this.runActivity(n, i, parent),
      runChild: (n, id, i, parent) => this.runChild(n, id, i, parent),
      completionBatch: this.completionBatch,
      log: this.log,
    }).finally(() => {
      this.running.delete(run);
      if (!this.retainHistory) {
        rec.history = [];
        rec.actions = [];
      }
    });
    this.running.add(run);
    return rec;
  }

  private runActivity(name: string, input: unknown, parent: InstanceRecord): Promise<Outcome> {
    return this.pool.run(async (): Promise<Outcome> => {
      parent.counters.activityExecutions++;
      try {
        const fn = this.registry.require(name, "activityTrigger");
        return { ok: true, value: await fn.handler(input, this.invocationContext(fn)) };
      } catch (err) {
        return { ok: false, reason: reasonOf(err) };
      }
    });
  }

  private async runChild(name: string, instanceId: string, input: unknown, parent: InstanceRecord): Promise<Outcome> {
    let child: InstanceRecord;
    try {
      child = this.launch(name, instanceId, input, parent.instanceId);
    } catch (err) {
      return { ok: false, reason: reasonOf(err) };
    }
    await child.finished;
    if (child.runtimeStatus === "Completed") return { ok: true, value: child.output };
    return { ok: false, reason: typeof child.output === "string" ? child.output : `sub-orchestration ${instanceId} ended ${child.runtimeStatus}` };
  }
}
