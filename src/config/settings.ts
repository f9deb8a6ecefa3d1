/**
 * Every setting the product reads, in one place, under the names the Functions app, the CLI and the
 * Bicep templates share. Values come from the environment, then from local.settings.json `Values`.
 * Guarantees: a missing or malformed setting fails with its name; a secret is never part of a message.
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

/** A setting the code reads: its name, what it holds, whether it is a secret. */
export interface SettingSpec {
  readonly name: string;
  readonly description: string;
  readonly secret: boolean;
  /** Only for local runs (keys, the local stack's certificate): Azure deployments never set it. */
  readonly localOnly: boolean;
}

const spec = (name: string, description: string, secret = false, localOnly = secret): SettingSpec => ({ name, description, secret, localOnly });

/** The full list; local.settings.sample.json and the infra templates are checked against it. */
export const SETTINGS: readonly SettingSpec[] = [
  spec("AFB_FILES", "Connection string of the Azure Files account to back up (local stack: the File emulator).", true),
  spec("AFB_FILES__serviceUri", "Identity-based alternative to AFB_FILES: https://<account>.file.core.windows.net"),
  spec("AFB_FILES__credential", "'managedidentity' to use the app's managed identity for AFB_FILES__serviceUri."),
  spec("AFB_FILES__clientId", "Client id of the user-assigned managed identity (with AFB_FILES__credential)."),
  spec("AFB_REPOSITORY", "Connection string of the repository account: blob container, share registry table, request queue.", true),
  spec("AFB_REPOSITORY__blobServiceUri", "Identity-based: the repository account's blob endpoint."),
  spec("AFB_REPOSITORY__queueServiceUri", "Identity-based: the repository account's queue endpoint."),
  spec("AFB_REPOSITORY__tableServiceUri", "Identity-based: the repository account's table endpoint."),
  spec("AFB_REPOSITORY__credential", "'managedidentity' for the AFB_REPOSITORY__*ServiceUri settings."),
  spec("AFB_REPOSITORY__clientId", "Client id of the user-assigned managed identity (with AFB_REPOSITORY__credential)."),
  spec("AFB_REPOSITORY_CONTAINER", "Blob container that holds the backup repository (default afb-repository)."),
  spec("AFB_REPOSITORY_PATH", "The afb CLI only: a local folder that holds the backup repository instead of a blob container (a local disk or a mounted share, like restic's -r PATH).", false, true),
  spec("AFB_COSMOS__accountEndpoint", "Cosmos DB (NoSQL) account endpoint of the node index."),
  spec("AFB_COSMOS__key", "Cosmos DB account key (local stack only; Azure uses the managed identity).", true),
  spec("AFB_COSMOS__credential", "'managedidentity' to reach Cosmos DB with the app's managed identity."),
  spec("AFB_COSMOS__clientId", "Client id of the user-assigned managed identity (with AFB_COSMOS__credential)."),
  spec("AFB_COSMOS__caCert", "Path of a PEM certificate to trust for the Cosmos endpoint (local stack's self-signed one).", false, true),
  spec("AFB_COSMOS_DATABASE", "Cosmos DB database of the node index (default afb)."),
  spec("AFB_TASK_HUB", "Durable Functions task hub name (default afb)."),
  spec("AFB_SCHEDULE_CRON", "How often the schedule timer looks for due shares: 6-field NCRONTAB, UTC (default 0 */5 * * * *, every 5 minutes)."),
  spec("APPLICATIONINSIGHTS_CONNECTION_STRING", "Application Insights connection string; unset sends no telemetry (local runs).", true, false),
  spec("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Entra ID ingestion: Authorization=AAD;ClientId=<managed identity client id> (no ClientId: system-assigned)."),
  spec("AFB_EMULATOR_FAULTS", "Local File emulator only: injected faults, e.g. busy=0.1,latency=5,reset=0.05,seed=7 (off when unset).", false, true),
  spec("AFB_LIVE_FILES_CONNECTION_STRING", "Tests only: a real Azure Files account the File conformance suite also runs against.", true),
];

const KNOWN = new Set(SETTINGS.map((s) => s.name));

/** Raw name -> value lookup over the environment and local.settings.json. */
export type SettingsSource = (name: string) => string | undefined;

/** Reads `Values` of local.settings.json in `dir` if present; environment variables win. */
export function settingsSource(env: NodeJS.ProcessEnv = process.env, dir: string = process.cwd()): SettingsSource {
  const file = join(dir, "local.settings.json");
  let values: Record<string, string> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`local.settings.json is not valid JSON (${(err as Error).message})`);
    }
    const v = (parsed as { Values?: unknown }).Values;
    if (v !== undefined && (typeof v !== "object" || v === null)) throw new Error("local.settings.json: Values must be an object");
    values = (v ?? {}) as Record<string, string>;
  }
  return (name) => {
    if (!KNOWN.has(name)) throw new Error(`setting ${name} is not declared in src/config/settings.ts`);
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
    const fromFile = values[name];
    return typeof fromFile === "string" && fromFile !== "" ? fromFile : undefined;
  };
}

/** Defaults for the settings that have one. */
export const DEFAULTS = {
  repositoryContainer: "afb-repository",
  cosmosDatabase: "afb",
  taskHub: "afb",
  scheduleCron: "0 */5 * * * *",
} as const;
