/**
 * HTTP, timer and queue triggers through the local host, with the library's real DurableClient
 * (df.getClient) talking to the host's durable HTTP API, and the queue trigger on Azurite's queue
 * service: status URLs that answer, 409 on a second start, 404/405/500, poison after 5 failures.
 */
import { QueueServiceClient } from "@azure/storage-queue";
import { DurableHost, QueuePump, fireTimer, installRecorder, invokeHttp, listen, type LocalFunctionsServer } from "../../../src/local/durable";
import { startTestStack, type TestStack } from "../../helpers/stack";
import { registerTriggerApp, seen } from "./trigger-app";

const registry = installRecorder();
registerTriggerApp();

let stack: TestStack<"queue">;
let host: DurableHost;
let server: LocalFunctionsServer;

beforeAll(async () => {
  stack = await startTestStack({ services: ["queue"] });
  host = new DurableHost({ registry });
  server = await listen(host);
});

afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("local Functions host triggers", () => {
  test("an HTTP function starts an orchestration with df.getClient and returns status URLs that answer", async () => {
    const res = await invokeHttp(host, { method: "POST", path: "/api/orchestrators/hello/op-1", body: "5" });
    expect(res.status).toBe(202);
    const payload = res.json() as Record<string, string>;
    expect(payload.id).toBe("op-1");
    expect(payload.statusQueryGetUri.startsWith(`${server.origin}/runtime/webhooks/durabletask/instances/op-1?`)).toBe(true);
    expect(res.headers.location).toBe(payload.statusQueryGetUri);
    await host.waitForCompletion("op-1");
    const polled = await fetch(payload.statusQueryGetUri);
    expect(polled.status).toBe(200);
    expect(await polled.json()).toMatchObject({ instanceId: "op-1", name: "hello", runtimeStatus: "Completed", output: "hello 5", customStatus: { phase: "greeting" }, input: 5 });
    const op = await invokeHttp(host, { method: "GET", path: "/api/operations/op-1" });
    expect(op.json()).toEqual({ runtimeStatus: "Completed", customStatus: { phase: "greeting" }, output: "hello 5" });
    expect((await invokeHttp(host, { method: "GET", path: "/api/operations/nope" })).status).toBe(404);
  });

  test("a second start of a running instance id is 409; events and termination go through the client", async () => {
    const first = await fetch(`${server.origin}/api/orchestrators/waitForGo/share-42`, { method: "POST" });
    expect(first.status).toBe(202);
    const urls = (await first.json()) as Record<string, string>;
    const second = await fetch(`${server.origin}/api/orchestrators/waitForGo/share-42`, { method: "POST" });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: string }).error).toContain("already running");
    const running = await fetch(urls.statusQueryGetUri);
    expect(running.status).toBe(202);
    expect(await running.json()).toMatchObject({ runtimeStatus: "Running", customStatus: { phase: "waiting for go" } });
    const raised = await fetch(urls.sendEventPostUri.replace("{eventName}", "go"), { method: "POST", body: JSON.stringify({ ok: 1 }) });
    expect(raised.status).toBe(202);
    expect(await host.waitForCompletion("share-42")).toMatchObject({ runtimeStatus: "Completed", output: { ok: 1 } });

    expect((await invokeHttp(host, { method: "POST", path: "/api/orchestrators/waitForGo/share-43" })).status).toBe(202);
    expect((await invokeHttp(host, { method: "POST", path: "/api/operations/share-43/terminate" })).status).toBe(202);
    expect(await host.waitForCompletion("share-43")).toMatchObject({ runtimeStatus: "Terminated", output: "stopped by the test" });
  });

  test("routes: parameters, catch-all, query and body over real HTTP; 404, 405 and 500", async () => {
    const res = await fetch(`${server.origin}/api/echo/a/b%20c?q=1`, { method: "PUT", body: "payload" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: "PUT", rest: "a/b c", q: "1", body: "payload" });
    expect((await fetch(`${server.origin}/api/echo/x`, { method: "DELETE" })).status).toBe(405);
    expect((await fetch(`${server.origin}/api/nowhere`)).status).toBe(404);
    const crash = await invokeHttp(host, { method: "POST", path: "/api/crash" });
    expect(crash.status).toBe(500);
    expect(crash.error).toBe("handler exploded");
  });

  test("a timer function fires and starts its orchestration", async () => {
    await fireTimer(host, "tick", { isPastDue: true });
    expect(seen.timerTicks).toBe(1);
    expect(await host.waitForCompletion("tick-run")).toMatchObject({ runtimeStatus: "Completed", output: "hello late" });
  });

  test("queue messages are delivered with their dequeue count; a failing one goes to -poison after 5 deliveries", async () => {
    const service = QueueServiceClient.fromConnectionString(stack.settings.queue);
    const queue = service.getQueueClient("work-items");
    await queue.createIfNotExists();
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    await queue.sendMessage(b64(JSON.stringify({ n: 1 })));
    await queue.sendMessage(b64("not a work item"));
    await queue.sendMessage(b64(JSON.stringify({ n: 2 })));
    const pump = new QueuePump(host, { queueService: service });
    const report = await pump.drain("work");
    expect(report).toMatchObject({ succeeded: 2, failed: 5, poisoned: 1, delivered: 7 });
    expect(report.errors[0]).toContain('malformed work item "not a work item"');
    const bad = seen.queue.filter((q) => q.message === "not a work item").map((q) => q.dequeueCount);
    expect(bad).toEqual([1, 2, 3, 4, 5]);
    expect(seen.queue.filter((q) => typeof q.message === "object").map((q) => q.dequeueCount)).toEqual([1, 1]);
    const poison = await service.getQueueClient("work-items-poison").receiveMessages({ numberOfMessages: 32 });
    expect(poison.receivedMessageItems.map((m) => Buffer.from(m.messageText, "base64").toString())).toEqual(["not a work item"]);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
    await until(() => host.listStatuses().filter((s) => s.name === "hello" && s.runtimeStatus === "Completed").length >= 4, "the queue's orchestrations");
  });
});
