/**
 * Captures the Functions app's registrations in this process, as the Functions host would: after
 * `installRecorder()`, every `app.generic` / `app.http` / `app.get`... / `app.timer` /
 * `app.storageQueue` call of @azure/functions (and so every `df.app.orchestration` / `df.app.activity`,
 * which call `app.generic` at call time) records `{ name, trigger, handler, options }` here instead of
 * being dropped by the package's test mode. Guarantees: durable-functions and this module share one
 * copy of @azure/functions (checked, with a clear error otherwise); a name registered twice is refused.
 * Function modules must be loaded after installRecorder(): registrations made before it are not seen.
 */
import * as azfunc from "@azure/functions";
import { dirname } from "node:path";

/** What a registration declared, as @azure/functions normalised it (trigger/extraInputs are binding objects). */
export interface RegisteredFunction {
  readonly name: string;
  readonly trigger: azfunc.FunctionTrigger & Record<string, unknown>;
  readonly extraInputs: readonly azfunc.FunctionInput[];
  readonly extraOutputs: readonly azfunc.FunctionOutput[];
  readonly handler: (...args: unknown[]) => unknown;
}

/** The functions registered so far in this process. */
export class FunctionRegistry {
  private readonly byName = new Map<string, RegisteredFunction>();

  add(fn: RegisteredFunction): void {
    if (this.byName.has(fn.name)) throw new Error(`a function named ${JSON.stringify(fn.name)} is already registered`);
    this.byName.set(fn.name, fn);
  }

  get(name: string): RegisteredFunction | undefined {
    return this.byName.get(name);
  }

  /** The function named `name` with a trigger of type `type`, or a clear error. */
  require(name: string, type: string): RegisteredFunction {
    const fn = this.byName.get(name);
    if (fn === undefined) throw new Error(`no function named ${JSON.stringify(name)} is registered (registered: ${[...this.byName.keys()].join(", ") || "none"})`);
    if (fn.trigger.type !== type) throw new Error(`function ${JSON.stringify(name)} has a ${fn.trigger.type} trigger, not ${type}`);
    return fn;
  }

  all(): RegisteredFunction[] {
    return [...this.byName.values()];
  }
}

type GenericOptions = azfunc.FunctionOptions;
type AppModule = Record<string, unknown>;

let installed: FunctionRegistry | undefined;

function assertSingleCopy(): void {
  const ours = require.resolve("@azure/functions");
  const durableDir = dirname(require.resolve("durable-functions/package.json"));
  const theirs = require.resolve("@azure/functions", { paths: [durableDir] });
  if (ours !== theirs) {
    throw new Error(`durable-functions loads its own copy of @azure/functions (${theirs}, ours is ${ours}): its registrations would not be captured; deduplicate the package`);
  }
}

/** Splits options the way @azure/functions' app.* helpers do: binding fields go into the trigger. */
function toGeneric(options: Record<string, unknown>, makeTrigger: (o: never) => azfunc.FunctionTrigger): GenericOptions {
  // Host-level retry policies (`retry`) are not emulated: dropped here like the other non-binding fields.
  const { handler, return: ret, trigger, extraInputs, extraOutputs, retry: _retry, ...triggerOptions } = options;
  return {
    trigger: (trigger as azfunc.FunctionTrigger | undefined) ?? makeTrigger(triggerOptions as never),
    return: ret as azfunc.FunctionOutput | undefined,
    extraInputs: extraInputs as azfunc.FunctionInput[] | undefined,
    extraOutputs: extraOutputs as azfunc.FunctionOutput[] | undefined,
    handler: handler as azfunc.FunctionHandler,
  };
}

/**
 * Replaces the registration functions of @azure/functions' `app` with recorders (once per process
 * or jest module registry) and returns the registry they fill.
 */
export function installRecorder(): FunctionRegistry {
  if (installed !== undefined) return installed;
  assertSingleCopy();
  const registry = new FunctionRegistry();
  const app = azfunc.app as unknown as AppModule;
  const record = (name: string, options: GenericOptions): void => {
    if (typeof name !== "string" || name.length === 0) throw new Error("a function registration needs a non-empty name");
    if (typeof options?.handler !== "function") throw new Error(`function ${JSON.stringify(name)} was registered without a handler`);
    registry.add({
      name,
      trigger: options.trigger as RegisteredFunction["trigger"],
      extraInputs: options.extraInputs ?? [],
      extraOutputs: options.extraOutputs ?? [],
      handler: options.handler as RegisteredFunction["handler"],
    });
  };
  const http = (name: string, options: Record<string, unknown>): void => {
    options.return ??= azfunc.output.http({});
    record(name, toGeneric(options, azfunc.trigger.http as never));
  };
  const method = (verb: string) => (name: string, optionsOrHandler: Record<string, unknown> | azfunc.HttpHandler): void => {
    const options = typeof optionsOrHandler === "function" ? { handler: optionsOrHandler } : { ...optionsOrHandler };
    http(name, { ...options, methods: [verb] });
  };
  app.generic = record;
  app.http = http;
  app.get = method("GET");
  app.post = method("POST");
  app.put = method("PUT");
  app.patch = method("PATCH");
  app.deleteRequest = method("DELETE");
  app.timer = (name: string, options: Record<string, unknown>) => record(name, toGeneric(options, azfunc.trigger.timer as never));
  app.storageQueue = (name: string, options: Record<string, unknown>) => record(name, toGeneric(options, azfunc.trigger.storageQueue as never));
  installed = registry;
  return registry;
}
