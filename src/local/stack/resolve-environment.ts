/**
 * How every `afb` command finds Azure. In order: explicit settings (environment, then the Values of
 * local.settings.json) -> a running `afb stack up` announced in .afb/stack/stack.json (pid alive, ports
 * answering) -> an embedded stack started in this process on ephemeral ports, its data under
 * .afb/stack so state persists between commands. With AFB_REPOSITORY_PATH the repository is a local
 * folder: no stack is started for "blob", and a command that needs nothing else starts none.
 * Guarantees: the description names the source, setting names and the repository folder, never a
 * secret; an embedded stack is stopped by the returned stop().
 */
import { join, relative, resolve } from "node:path";
import { SETTINGS, settingsSource, type SettingsSource } from "../../config/settings";
import { toProductSettings, type ProductSettings } from "./product-settings";
import { findRunningStack, takeDataLock } from "./stack-file";
import { ALL_SERVICES, type StackService } from "./types";

/** Settings that point at an Azure service: setting any of them means "use what I configured". */
export const CONNECTION_SETTINGS: readonly string[] = [
  "AFB_FILES",
  "AFB_FILES__serviceUri",
  "AFB_REPOSITORY",
  "AFB_REPOSITORY__blobServiceUri",
  "AFB_REPOSITORY__queueServiceUri",
  "AFB_REPOSITORY__tableServiceUri",
  "AFB_COSMOS__accountEndpoint",
];

/** The default data folder of the local stack, relative to the current folder. */
export const DEFAULT_STACK_DIR = join(".afb", "stack");

export interface ResolveEnvironmentOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Stack data folder (default: .afb/stack under cwd). */
  readonly dataDir?: string;
  /** Servers an embedded stack runs (default: all); "blob" stands for the repository's container. */
  readonly services?: readonly StackService[];
}

export interface ResolvedEnvironment {
  readonly source: "explicit" | "running" | "embedded";
  /** One line for stderr, e.g. "running stack at .afb/stack"; never contains a secret. */
  readonly description: string;
  /** Every declared setting that has a value. */
  readonly settings: ProductSettings;
  /** The same values as a SettingsSource (unknown names throw, like settingsSource()). */
  readonly lookup: SettingsSource;
  /** Stops an embedded stack; does nothing for the other sources. */
  stop(): Promise<void>;
}

/** The stack's connection settings plus the plain options (container, database, hub) from `source`. */
function collect(source: SettingsSource, stackSettings: ProductSettings): ProductSettings {
  const out: ProductSettings = {};
  for (const { name } of SETTINGS) {
    const plainOption = !name.includes("__") && !CONNECTION_SETTINGS.includes(name);
    const value = stackSettings[name] ?? (plainOption ? source(name) : undefined);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function lookupOf(settings: ProductSettings): SettingsSource {
  const known = new Set(SETTINGS.map((s) => s.name));
  return (name) => {
    if (!known.has(name)) throw new Error(`setting ${name} is not declared in src/config/settings.ts`);
    return settings[name];
  };
}

function resolved(source: ResolvedEnvironment["source"], description: string, settings: ProductSettings, stop: () => Promise<void> = async () => undefined): ResolvedEnvironment {
  return { source, description, settings, lookup: lookupOf(settings), stop };
}

/** Applies the resolution rule; see the module comment. */
export async function resolveEnvironment(options: ResolveEnvironmentOptions = {}): Promise<ResolvedEnvironment> {
  const cwd = options.cwd ?? process.cwd();
  const base = settingsSource(options.env ?? process.env, cwd);
  const repositoryPath = base("AFB_REPOSITORY_PATH");
  const folder = repositoryPath === undefined ? "" : `; repository folder ${resolve(cwd, repositoryPath)}`;
  const services = (options.services ?? ALL_SERVICES).filter((s) => s !== "blob" || repositoryPath === undefined);
  const explicit = CONNECTION_SETTINGS.filter((name) => base(name) !== undefined);
  if (explicit.length > 0 || services.length === 0) {
    const settings: ProductSettings = {};
    for (const { name } of SETTINGS) {
      const value = base(name);
      if (value !== undefined) settings[name] = value;
    }
    const source = explicit.length > 0 ? `explicit settings (${explicit.join(", ")})` : "no service needed";
    return resolved("explicit", `${source}${folder}`, settings);
  }

  const dataDir = join(cwd, options.dataDir ?? DEFAULT_STACK_DIR);
  const shown = relative(cwd, dataDir) || ".";
  const running = await findRunningStack(dataDir);
  if (running !== undefined) {
    return resolved("running", `running stack at ${shown} (pid ${running.pid})${folder}`, collect(base, toProductSettings(running.settings)));
  }

  const release = takeDataLock(dataDir);
  const ports = Object.fromEntries(services.map((s) => [s, 0]));
  let stack;
  try {
    // Loaded only here: the emulators and their certificate code are not needed with explicit settings.
    const { startLocalStack } = await import("./local-stack");
    stack = await startLocalStack({ dataDir, services, ports });
  } catch (err) {
    release();
    throw err;
  }
  const started = stack;
  const stop = async () => {
    try {
      await started.stop();
    } finally {
      release();
    }
  };
  return resolved("embedded", `embedded stack (${shown})${folder}`, collect(base, toProductSettings(stack.settings)), stop);
}
