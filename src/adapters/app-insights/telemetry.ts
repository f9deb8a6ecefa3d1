/**
 * Telemetry over Application Insights (the `applicationinsights` 3.x TelemetryClient, OpenTelemetry
 * based): custom events BackupCompleted / BackupFailed / RestoreCompleted / RestoreFailed (customEvents
 * table) and custom metrics with the share (or restore target) as a dimension (customMetrics table);
 * the mapping is src/core/telemetry/items.ts.
 * The client runs on its own OpenTelemetry providers (`useGlobalProviders: false`): it does not
 * install global instrumentation beside what the Functions host already collects.
 * Guarantees: `backupFinished`/`restoreFinished` never throw; `flush` never rejects; failure texts are
 * redacted; no network connection is attempted before the first item is tracked. `telemetryFromSettings`
 * returns NO_TELEMETRY when APPLICATIONINSIGHTS_CONNECTION_STRING is unset (local runs send nothing).
 */
import { TelemetryClient } from "applicationinsights";
import { ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import type { SettingsSource } from "../../config/settings";
import { NO_TELEMETRY, type BackupOutcome, type RestoreOutcome, type Telemetry } from "../../core/ports/telemetry";
import { redact } from "../../core/redact";
import { backupEvent, backupMetrics, restoreEvent, restoreMetrics, type TelemetryEvent, type TelemetryMetric } from "../../core/telemetry/items";

export interface AppInsightsOptions {
  readonly connectionString: string;
  /** Entra ID credential for ingestion (resources with local auth disabled). */
  readonly credential?: TokenCredential;
  /** Clock for the schedule interval anchor (default Date.now). */
  readonly now?: () => number;
  /** Where send failures are reported (default console.warn); the text is redacted. */
  readonly warn?: (message: string) => void;
}

export class AppInsightsTelemetry implements Telemetry {
  private readonly client: TelemetryClient;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;

  constructor(options: AppInsightsOptions) {
    this.client = new TelemetryClient(options.connectionString, { useGlobalProviders: false });
    if (options.credential !== undefined) this.client.config.aadTokenCredential = options.credential;
    this.now = options.now ?? Date.now;
    this.warn = options.warn ?? ((m) => console.warn(m));
  }

  backupFinished(o: BackupOutcome): void {
    this.send(() => backupEvent(o, this.now()), () => backupMetrics(o));
  }

  restoreFinished(o: RestoreOutcome): void {
    this.send(() => restoreEvent(o), () => restoreMetrics(o));
  }

  async flush(): Promise<void> {
    try {
      await this.client.flush();
    } catch (err) {
      this.warn(`telemetry: flush failed: ${redact(String((err as Error)?.message ?? err))}`);
    }
  }

  /**
   * Sends what is buffered and stops the client's background work (the exporter schedules periodic
   * timers that would keep a short-lived process alive). Never rejects; the object is unusable after.
   */
  async close(): Promise<void> {
    await this.flush();
    try {
      await this.client.shutdown();
    } catch (err) {
      this.warn(`telemetry: shutdown failed: ${redact(String((err as Error)?.message ?? err))}`);
    }
  }

  private send(event: () => TelemetryEvent, metrics: () => TelemetryMetric[]): void {
    try {
      const e = event();
      this.client.trackEvent({ name: e.name, properties: { ...e.properties, ...e.measurements } });
      for (const m of metrics()) this.client.trackMetric({ name: m.name, value: m.value, properties: m.properties });
    } catch (err) {
      this.warn(`telemetry: could not record an item: ${redact(String((err as Error)?.message ?? err))}`);
    }
  }
}

/**
 * `Authorization=AAD` (optionally `;ClientId=<guid>` for a user-assigned identity) -> the managed
 * identity credential; unset -> undefined (key-based ingestion). Anything else is refused by name.
 */
export function credentialFromAuthenticationString(text: string | undefined): TokenCredential | undefined {
  if (text === undefined) return undefined;
  const parts = new Map<string, string>();
  for (const part of text.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) parts.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
  }
  if (parts.get("authorization")?.toUpperCase() !== "AAD") {
    throw new Error("APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be 'Authorization=AAD' or 'Authorization=AAD;ClientId=<client id>'");
  }
  const clientId = parts.get("clientid");
  return clientId === undefined || clientId === "" ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId });
}

/** Application Insights when the connection string is set, else NO_TELEMETRY (nothing sent or opened). */
export function telemetryFromSettings(get: SettingsSource): Telemetry {
  const connectionString = get("APPLICATIONINSIGHTS_CONNECTION_STRING");
  if (connectionString === undefined) return NO_TELEMETRY;
  return new AppInsightsTelemetry({ connectionString, credential: credentialFromAuthenticationString(get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")) });
}
