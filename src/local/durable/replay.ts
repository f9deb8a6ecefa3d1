/**
 * One orchestrator episode: hands the history to the library's own orchestrator handler (the replay
 * engine of durable-functions) exactly as the host does, and reads back its decision. Guarantees: the
 * actions come back flattened in scheduling order (schema V1 flattens Task.all / Task.any), a
 * failing orchestrator comes back as `failed` with its reason and last custom status, never as a throw.
 */
import * as df from "durable-functions";
import type { HistoryEvent } from "./history";

/** A scheduling decision of the orchestrator, as the library emits it (camelCase fields). */
export interface OrchestratorAction {
  readonly actionType: number;
  readonly functionName?: string;
  readonly input?: unknown;
  readonly instanceId?: string;
  readonly fireAt?: Date | string;
  readonly externalEventName?: string;
  readonly retryOptions?: RetryOptionsLike;
}

export interface RetryOptionsLike {
  readonly firstRetryIntervalInMilliseconds: number;
  readonly maxNumberOfAttempts: number;
  readonly backoffCoefficient?: number;
  readonly maxRetryIntervalInMilliseconds?: number;
  readonly retryTimeoutInMilliseconds?: number;
}

export type EpisodeResult =
  | { readonly kind: "running"; readonly actions: OrchestratorAction[]; readonly customStatus: unknown }
  | { readonly kind: "completed"; readonly actions: OrchestratorAction[]; readonly output: unknown; readonly customStatus: unknown }
  | { readonly kind: "failed"; readonly reason: string; readonly customStatus: unknown };

/** The library's action type numbers. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
} as const;

const SUPPORTED = new Set<number>(Object.values(ActionType));
const OUT_OF_PROC = "$OutOfProcData$:";

interface OrchestratorState {
  isDone: boolean;
  actions: OrchestratorAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export interface EpisodeInput {
  readonly name: string;
  readonly instanceId: string;
  readonly parentInstanceId: string;
  readonly input: unknown;
  readonly history: HistoryEvent[];
  readonly isReplaying: boolean;
  /** Where the orchestrator's context.log goes (default: nowhere). */
  readonly log?: (level: string, args: unknown[]) => void;
}

type OrchestrationHandler = (trigger: unknown, context: unknown) => Promise<unknown>;

const quiet = (): void => undefined;

/** Runs the orchestrator once over `history`; never throws for a failure of user code. */
export async function runEpisode(handler: OrchestrationHandler, ep: EpisodeInput): Promise<EpisodeResult> {
  const trigger = {
    history: ep.history,
    input: ep.input,
    instanceId: ep.instanceId,
    isReplaying: ep.isReplaying,
    parentInstanceId: ep.parentInstanceId,
    // Schema V1: actions flattened, and timers always short (no long-timer splitting).
    upperSchemaVersion: 0,
    maximumShortTimerDuration: "6.00:00:00",
    longRunningTimerIntervalDuration: "3.00:00:00",
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  const log = ep.log;
  const context = new df.DummyOrchestrationContext(ep.name, `${ep.instanceId}:${ep.history.length}`, log === undefined ? quiet : (level, ...args) => log(level, args));
  let state: OrchestratorState;
  try {
    state = (await handler(trigger, context)) as OrchestratorState;
  } catch (err) {
    return failureOf(err);
  }
  const actions = state.actions.flat();
  for (const a of actions) {
    if (!SUPPORTED.has(a.actionType)) {
      return { kind: "failed", reason: `the local durable driver does not support action type ${a.actionType} (entities and durable HTTP are not emulated)`, customStatus: state.customStatus };
    }
  }
  const customStatus = state.customStatus;
  return state.isDone ? { kind: "completed", actions, output: state.output, customStatus } : { kind: "running", actions, customStatus };
}

function failureOf(err: unknown): EpisodeResult {
  const message = err instanceof Error ? err.message : String(err);
  const at = message.lastIndexOf(OUT_OF_PROC);
  if (at < 0) return { kind: "failed", reason: message, customStatus: undefined };
  let customStatus: unknown;
  let reason = message.slice(0, at).replace(/\s+$/, "");
  try {
    const state = JSON.parse(message.slice(at + OUT_OF_PROC.length)) as OrchestratorState;
    customStatus = state.customStatus;
    if (typeof state.error === "string" && state.error.length > 0) reason = state.error;
  } catch {
    // The label was part of the user's own message: keep the message whole.
    reason = message;
  }
  return { kind: "failed", reason, customStatus };
}
