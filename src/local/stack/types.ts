/**
 * The shapes the local stack hands out: one connection string per storage service and the Cosmos
 * endpoint, in the JSON form `afb stack up --json` prints.
 */

/** The servers a stack can run. */
export type StackService = "blob" | "queue" | "table" | "files" | "cosmos";

export const ALL_SERVICES: readonly StackService[] = ["blob", "queue", "table", "files", "cosmos"];

/** How to reach the stack's Cosmos endpoint: `caCert` is the PEM file to trust for its TLS certificate. */
export interface CosmosSettings {
  readonly endpoint: string;
  readonly key: string;
  readonly caCert: string;
}

/** Each storage value is a full connection string the matching Azure SDK accepts. */
export interface StackSettings {
  readonly blob: string;
  readonly queue: string;
  readonly table: string;
  readonly files: string;
  readonly cosmos: CosmosSettings;
}

/** Default ports (Azurite's, the Files emulator's, the Cosmos DB emulator's). */
export const DEFAULT_PORTS: Readonly<Record<StackService, number>> = {
  blob: 10000,
  queue: 10001,
  table: 10002,
  files: 10004,
  cosmos: 8081,
};
