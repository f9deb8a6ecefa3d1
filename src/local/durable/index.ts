/**
 * The local Durable Functions host driver: plays the Functions host's part for the real
 * durable-functions v3 library and @azure/functions v4 in one process (a development and test tool;
 * the product runs on Azure's host). Typical use:
 *
 *   const registry = installRecorder();          // before any function module loads
 *   registerMyFunctions();                       // app.http / df.app.orchestration / ...
 *   const host = new DurableHost({ registry });  // fake clock, in-memory histories
 *   const server = await listen(host);           // df.getClient works; status URLs answer
 *   const res = await invokeHttp(host, { method: "POST", path: "/api/shares/x/backups" });
 *   await host.waitForCompletion(id);  await fireTimer(host, "tick");  await pump.drain("requests");
 */
export { installRecorder, FunctionRegistry, type RegisteredFunction } from "./registry";
export { DurableHost, InstanceConflictError, type DurableHostOptions, type HostStats, type StartOptions, type LogSink } from "./durable-host";
export { FakeClock, type DriverClock } from "./clock";
export type { InstanceStatus, InstanceCounters, RuntimeStatus } from "./instance";
export type { HistoryEvent } from "./history";
export type { OrchestratorAction } from "./replay";
export { listen, type LocalFunctionsServer } from "./server";
export { clientDataFor, managementPayload, WEBHOOK_PATH } from "./durable-api";
export { invokeHttp, matchRoute, type LocalHttpRequest, type LocalHttpResponse } from "./http-functions";
export { fireTimer, type FireTimerOptions } from "./timer-trigger";
export { QueuePump, type QueuePumpOptions, type DeliveryReport } from "./queue-trigger";
