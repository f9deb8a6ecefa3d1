/**
 * The orchestration history the Durable Functions host keeps per instance, as the durable-functions
 * library reads it: one plain object per event, with the host's PascalCase field names. Completion
 * events are matched to open tasks by TaskScheduledId / TimerId / Name; the library ignores the
 * scheduling events, which are kept anyway so that history lengths match what Azure stores.
 */

/** Event type numbers of the Durable Task framework (the library's HistoryEventType). */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 2,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
  ContinueAsNew: 16,
} as const;

export type EventTypeNumber = (typeof EventType)[keyof typeof EventType];

export interface HistoryEvent {
  readonly EventType: EventTypeNumber;
  readonly EventId: number;
  IsPlayed: boolean;
  readonly IsProcessed: boolean;
  /** A Date: the library converts string timestamps in place, so Dates avoid a parse per replay. */
  Timestamp: Date;
  readonly [field: string]: unknown;
}

/** Builds one event; `eventId` is the scheduling id for TaskScheduled/TimerCreated/SubOrchestrationInstanceCreated, else -1. */
export function historyEvent(type: EventTypeNumber, at: number, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, IsProcessed: false, Timestamp: new Date(at), ...fields };
}

/** Encodes a function result the way the host stores it (undefined becomes null: JSON has no undefined). */
export function encodeResult(value: unknown): string {
  return value === undefined ? "null" : JSON.stringify(value);
}

/** Human-readable reason of a failure thrown by user code, without a stack. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === "string" ? err : JSON.stringify(err);
}
