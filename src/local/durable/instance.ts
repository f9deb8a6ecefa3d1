/**
 * What the driver knows about one orchestration instance: its status as the Durable HTTP API reports
 * it, the history of its current execution, and counters that tests and the benchmark assert on.
 * Guarantees: `maxHistoryEvents` is the longest history any execution of the instance reached
 * (continueAsNew starts a new, empty one, as in Azure); counters survive the history being dropped.
 */
import type { HistoryEvent } from "./history";
import type { OrchestratorAction } from "./replay";

export type RuntimeStatus = "Pending" | "Running" | "Completed" | "Failed" | "Terminated";

/** Counters of one instance; the host sums them over instances. */
export interface InstanceCounters {
  /** Executions started (1 + continueAsNew calls). */
  executions: number;
  /** Calls of the orchestrator function (episodes), over all executions. */
  orchestratorInvocations: number;
  /** Events handed to the orchestrator that it had already seen in an earlier episode. */
  replayedEvents: number;
  /** Events appended to the history, over all executions. */
  historyEvents: number;
  /** The longest history of one execution. */
  maxHistoryEvents: number;
  activityExecutions: number;
}

/** The status document of the Durable HTTP API (GET /instances/{id}). */
export interface InstanceStatus {
  readonly name: string;
  readonly instanceId: string;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly runtimeStatus: RuntimeStatus;
  readonly customStatus: unknown;
  readonly history?: unknown[];
}

export class InstanceRecord {
  runtimeStatus: RuntimeStatus = "Pending";
  output: unknown = null;
  customStatus: unknown = null;
  lastUpdatedMs: number;
  /** The current execution's input (continueAsNew replaces it). */
  input: unknown;
  history: HistoryEvent[] = [];
  /** Every action the orchestrator scheduled in the current execution, in order. */
  actions: OrchestratorAction[] = [];
  readonly counters: InstanceCounters = { executions: 0, orchestratorInvocations: 0, replayedEvents: 0, historyEvents: 0, maxHistoryEvents: 0, activityExecutions: 0 };
  terminateReason: string | undefined;
  /** External events raised and not yet delivered. */
  readonly inbox: Array<{ name: string; data: unknown }> = [];
  readonly finished: Promise<void>;
  private settle!: () => void;
  private signalPromise!: Promise<void>;
  private fireSignal!: () => void;

  constructor(
    readonly name: string,
    readonly instanceId: string,
    readonly parentInstanceId: string,
    readonly originalInput: unknown,
    readonly createdMs: number,
  ) {
    this.input = originalInput;
    this.lastUpdatedMs = createdMs;
    this.finished = new Promise<void>((resolve) => (this.settle = resolve));
    this.resetSignal();
  }

  /** Resolves at the next poke(): an external event was raised or a termination requested. */
  get signal(): Promise<void> {
    return this.signalPromise;
  }

  poke(): void {
    const fire = this.fireSignal;
    this.resetSignal();
    fire();
  }

  private resetSignal(): void {
    this.signalPromise = new Promise<void>((resolve) => (this.fireSignal = resolve));
  }

  get isActive(): boolean {
    return this.runtimeStatus === "Pending" || this.runtimeStatus === "Running";
  }

  append(event: HistoryEvent): void {
    this.history.push(event);
    this.counters.historyEvents++;
    if (this.history.length > this.counters.maxHistoryEvents) this.counters.maxHistoryEvents = this.history.length;
  }

  /** Ends the instance (once): later calls are ignored, so a termination wins over a late completion. */
  finish(status: "Completed" | "Failed" | "Terminated", output: unknown, at: number): void {
    if (!this.isActive) return;
    this.runtimeStatus = status;
    this.output = output;
    this.lastUpdatedMs = at;
    this.settle();
  }

  status(showHistory = false, showInput = true): InstanceStatus {
    return {
      name: this.name,
      instanceId: this.instanceId,
      createdTime: new Date(this.createdMs).toISOString(),
      lastUpdatedTime: new Date(this.lastUpdatedMs).toISOString(),
      input: showInput ? (this.originalInput ?? null) : null,
      output: this.output ?? null,
      runtimeStatus: this.runtimeStatus,
      customStatus: this.customStatus ?? null,
      ...(showHistory ? { history: this.history.map((e) => ({ ...e })) } : {}),
    };
  }
}
