/**
 * Queue triggers, locally, over a real Azure Storage queue (Azurite or Azure): receives messages of
 * the function's queue, decodes them as the host does (base64 by default, then JSON if it parses),
 * invokes the function with the host's trigger metadata (id, dequeueCount, popReceipt, times), and
 * settles each message with the host's semantics: success deletes it; a failure makes it visible
 * again at once; a failure of its `maxDequeueCount`-th delivery (default 5) moves it to
 * `<queue>-poison` (same text) and deletes it. A message that cannot be decoded counts as a failure.
 * Guarantees: a message is never lost: it is deleted only after success or after the poison copy was
 * written.
 */
import type { QueueServiceClient, DequeuedMessageItem } from "@azure/storage-queue";
import type { DurableHost } from "./durable-host";
import type { RegisteredFunction } from "./registry";

export interface QueuePumpOptions {
  readonly queueService: QueueServiceClient;
  /** host.json queues.maxDequeueCount (default 5). */
  readonly maxDequeueCount?: number;
  /** host.json queues.messageEncoding (default "base64"). */
  readonly messageEncoding?: "base64" | "none";
  /** How long a received message stays invisible while the function runs (default 30 s). */
  readonly visibilityTimeoutSeconds?: number;
}

export interface DeliveryReport {
  delivered: number;
  succeeded: number;
  failed: number;
  poisoned: number;
  /** Reasons of the failed invocations, in order. */
  readonly errors: string[];
}

/** `%NAME%` in binding values is an app setting, as in function.json. */
function resolveSetting(value: string): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const v = process.env[name];
    if (v === undefined) throw new Error(`the queue trigger names the app setting ${name}, which is not set`);
    return v;
  });
}

function decode(text: string, encoding: "base64" | "none"): unknown {
  let raw = text;
  if (encoding === "base64") {
    const bytes = Buffer.from(text, "base64");
    if (bytes.toString("base64").replace(/=+$/, "") !== text.replace(/=+$/, "")) throw new Error("the message is not valid base64 (the host's messageEncoding is base64)");
    raw = bytes.toString("utf8");
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export class QueuePump {
  private readonly maxDequeueCount: number;
  private readonly encoding: "base64" | "none";

  constructor(private readonly host: DurableHost, private readonly options: QueuePumpOptions) {
    this.maxDequeueCount = options.maxDequeueCount ?? 5;
    this.encoding = options.messageEncoding ?? "base64";
    if (!Number.isInteger(this.maxDequeueCount) || this.maxDequeueCount < 1) throw new Error(`maxDequeueCount must be a positive integer, got ${this.maxDequeueCount}`);
  }

  /** The queue a registered queue function listens to. */
  queueName(functionName: string): string {
    const fn = this.host.registry.require(functionName, "queueTrigger");
    return resolveSetting(String(fn.trigger.queueName));
  }

  /** One receive of up to 32 messages and their invocations. */
  async deliverOnce(functionName: string, report: DeliveryReport = { delivered: 0, succeeded: 0, failed: 0, poisoned: 0, errors: [] }): Promise<DeliveryReport> {
    const fn = this.host.registry.require(functionName, "queueTrigger");
    const queue = this.options.queueService.getQueueClient(this.queueName(functionName));
    const received = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: this.options.visibilityTimeoutSeconds ?? 30 });
    for (const msg of received.receivedMessageItems) await this.deliver(fn, msg, report);
    return report;
  }

  /** Delivers until the queue has nothing visible (failing messages come back until poisoned). */
  async drain(functionName: string, maxRounds = 1000): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, succeeded: 0, failed: 0, poisoned: 0, errors: [] };
    for (let round = 0; round < maxRounds; round++) {
      const before = report.delivered;
      await this.deliverOnce(functionName, report);
      if (report.delivered === before) return report;
    }
    throw new Error(`queue ${this.queueName(functionName)} still had messages after ${maxRounds} rounds`);
  }

  private async deliver(fn: RegisteredFunction, msg: DequeuedMessageItem, report: DeliveryReport): Promise<void> {
    const queueName = this.queueName(fn.name);
    const queue = this.options.queueService.getQueueClient(queueName);
    report.delivered++;
    try {
      const input = decode(msg.messageText, this.encoding);
      const context = this.host.invocationContext(fn, {
        triggerMetadata: { id: msg.messageId, dequeueCount: msg.dequeueCount, popReceipt: msg.popReceipt, insertionTime: msg.insertedOn, expirationTime: msg.expiresOn, nextVisibleTime: msg.nextVisibleOn },
      });
      await fn.handler(input, context);
      report.succeeded++;
      await queue.deleteMessage(msg.messageId, msg.popReceipt);
      return;
    } catch (err) {
      report.failed++;
      report.errors.push(err instanceof Error ? err.message : String(err));
    }
    if (msg.dequeueCount >= this.maxDequeueCount) {
      const poison = this.options.queueService.getQueueClient(`${queueName}-poison`);
      await poison.createIfNotExists();
      await poison.sendMessage(msg.messageText);
      await queue.deleteMessage(msg.messageId, msg.popReceipt);
      report.poisoned++;
    } else {
      await queue.updateMessage(msg.messageId, msg.popReceipt, undefined, 0);
    }
  }
}
