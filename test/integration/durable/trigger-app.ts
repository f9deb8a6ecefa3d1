/**
 * Tiny functions registered through @azure/functions' app.http / app.get / app.timer /
 * app.storageQueue and durable-functions, using df.getClient exactly as the product's functions do.
 * `registerTriggerApp()` must run after installRecorder().
 */
import { app, type HttpRequest, type InvocationContext, type Timer } from "@azure/functions";
import * as df from "durable-functions";
import type { OrchestrationContext } from "durable-functions";

export const seen = { queue: [] as Array<{ message: unknown; dequeueCount: unknown }>, timerTicks: 0 };

const clientInput = df.input.durableClient();

async function startOrchestration(request: HttpRequest, context: InvocationContext) {
  const client = df.getClient(context);
  const text = await request.text();
  const input = text.length > 0 ? JSON.parse(text) : undefined;
  try {
    const instanceId = await client.startNew(request.params.name, { instanceId: request.params.id, input });
    return client.createCheckStatusResponse(request, instanceId);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { status: message.includes("409") ? 409 : 500, jsonBody: { error: message } };
  }
}

async function operationStatus(request: HttpRequest, context: InvocationContext) {
  const client = df.getClient(context);
  try {
    const s = await client.getStatus(request.params.id);
    return { jsonBody: { runtimeStatus: s.runtimeStatus, customStatus: s.customStatus, output: s.output } };
  } catch {
    return { status: 404, jsonBody: { error: `no operation ${request.params.id}` } };
  }
}

async function terminateOperation(request: HttpRequest, context: InvocationContext) {
  await df.getClient(context).terminate(request.params.id, "stopped by the test");
  return { status: 202 };
}

async function echo(request: HttpRequest) {
  return { jsonBody: { method: request.method, rest: request.params.rest, q: request.query.get("q"), body: await request.text() } };
}

export function registerTriggerApp(): void {
  app.http("startOrchestration", { route: "orchestrators/{name}/{id?}", methods: ["POST"], extraInputs: [clientInput], handler: startOrchestration });
  app.get("operationStatus", { route: "operations/{id}", extraInputs: [clientInput], handler: operationStatus });
  app.post("terminateOperation", { route: "operations/{id}/terminate", extraInputs: [clientInput], handler: terminateOperation });
  app.http("echo", { route: "echo/{*rest}", methods: ["GET", "PUT"], handler: echo });
  app.post("crash", {
    handler: () => {
      throw new Error("handler exploded");
    },
  });
  app.timer("tick", {
    schedule: "0 */5 * * * *",
    extraInputs: [clientInput],
    handler: async (timer: Timer, context: InvocationContext) => {
      seen.timerTicks++;
      await df.getClient(context).startNew("hello", { instanceId: "tick-run", input: timer.isPastDue ? "late" : "on time" });
    },
  });
  app.storageQueue("work", {
    queueName: "work-items",
    connection: "AzureWebJobsStorage",
    extraInputs: [clientInput],
    handler: async (message: unknown, context: InvocationContext) => {
      seen.queue.push({ message, dequeueCount: context.triggerMetadata?.dequeueCount });
      if (typeof message !== "object" || message === null || !("n" in message)) throw new Error(`malformed work item ${JSON.stringify(message)}`);
      await df.getClient(context).startNew("hello", { input: (message as { n: number }).n });
    },
  });
  df.app.orchestration("hello", function* (context: OrchestrationContext) {
    context.df.setCustomStatus({ phase: "greeting" });
    const greeting: string = yield context.df.callActivity("greet", context.df.getInput());
    return greeting;
  });
  df.app.orchestration("waitForGo", function* (context: OrchestrationContext) {
    context.df.setCustomStatus({ phase: "waiting for go" });
    const data: unknown = yield context.df.waitForExternalEvent("go");
    return data;
  });
  df.app.activity("greet", { handler: (who: unknown) => `hello ${String(who)}` });
}
