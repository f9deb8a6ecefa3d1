/**
 * The Durable Functions extension's HTTP API (the "webhooks" the durable client calls), served over
 * the local DurableHost: start, status (one or all), terminate, raise event, purge. `clientDataFor`
 * builds the durableClient binding data the host hands to functions, pointing at this API, so the
 * library's real DurableClient (df.getClient) works unchanged, and createCheckStatusResponse returns
 * URLs a caller can poll.
 * Guarantees: the status codes are the extension's (202 running, 200 completed, 400 failed or
 * terminated, 404 unknown, 410 already ended); a start of a running instance id is 409 with a message
 * naming the instance (the library's client rejects with "unexpected status code: 409").
 */
import { DurableHost, InstanceConflictError } from "./durable-host";

export const WEBHOOK_PATH = "/runtime/webhooks/durabletask";
const LOCAL_CODE = "local";

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
}

/** The durableClient binding data for a host reachable at `origin`. */
export function clientDataFor(origin: string, taskHub: string): Record<string, unknown> {
  const base = `${origin}${WEBHOOK_PATH}`;
  const query = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage&code=${LOCAL_CODE}`;
  const instance = `${base}/instances/INSTANCEID`;
  return {
    taskHubName: taskHub,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?code=${LOCAL_CODE}`,
      waitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${LOCAL_CODE}`,
    },
    managementUrls: {
      id: "INSTANCEID",
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${base}/`,
  };
}

/** The management payload (status URLs) of one instance, as createCheckStatusResponse returns it. */
export function managementPayload(origin: string, taskHub: string, instanceId: string): Record<string, string> {
  const urls = clientDataFor(origin, taskHub).managementUrls as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(urls)) out[k] = v.replace("INSTANCEID", encodeURIComponent(instanceId));
  return out;
}

function parseBody(text: string): unknown {
  if (text.trim().length === 0) return undefined;
  return JSON.parse(text);
}

/** Serves one webhook request; `path` is below WEBHOOK_PATH ("/instances/x", "/orchestrators/f/id"). */
export async function handleDurableApi(host: DurableHost, method: string, path: string, query: URLSearchParams, bodyText: string): Promise<ApiResponse> {
  const parts = path.split("/").filter((p) => p.length > 0).map((p) => decodeURIComponent(p));
  const verb = method.toUpperCase();
  if (parts[0] === "orchestrators" && verb === "POST" && (parts.length === 2 || parts.length === 3)) {
    let input: unknown;
    try {
      input = parseBody(bodyText);
    } catch {
      return { status: 400, body: { message: "the orchestration input is not valid JSON" } };
    }
    try {
      const id = await host.startNew(parts[1], { instanceId: parts[2], input });
      return { status: 202, body: { id, ...managementPayload(host.origin, host.taskHub, id) } };
    } catch (err) {
      if (err instanceof InstanceConflictError) return { status: 409, body: { message: err.message } };
      return { status: 400, body: { message: err instanceof Error ? err.message : String(err) } };
    }
  }
  if (parts[0] !== "instances") return { status: 404, body: { message: `no durable API route ${verb} ${path}` } };
  const id = parts[1];
  if (id === undefined) {
    if (verb === "GET") return { status: 200, body: host.listStatuses() };
    return { status: 405 };
  }
  if (parts.length === 2 && verb === "GET") {
    const status = host.getStatus(id, { showHistory: query.get("showHistory") === "true", showInput: query.get("showInput") !== "false" });
    if (status === undefined) return { status: 404 };
    const code = status.runtimeStatus === "Completed" ? 200 : status.runtimeStatus === "Failed" || status.runtimeStatus === "Terminated" ? 400 : 202;
    return { status: code, body: status };
  }
  if (parts.length === 2 && verb === "DELETE") {
    return host.purge(id) ? { status: 200, body: { instancesDeleted: 1 } } : { status: 404 };
  }
  if (parts[2] === "terminate" && verb === "POST") {
    const r = host.terminate(id, query.get("reason") ?? "terminated");
    return { status: r === "terminated" ? 202 : r === "notFound" ? 404 : 410 };
  }
  if (parts[2] === "raiseEvent" && parts[3] !== undefined && verb === "POST") {
    let data: unknown;
    try {
      data = parseBody(bodyText);
    } catch {
      return { status: 400, body: { message: "the event data is not valid JSON" } };
    }
    const r = host.raiseEvent(id, parts[3], data);
    return { status: r === "raised" ? 202 : r === "notFound" ? 404 : 410 };
  }
  return { status: 501, body: { message: `the local durable driver does not serve ${verb} ${path}` } };
}
