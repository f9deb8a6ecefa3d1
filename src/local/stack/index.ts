/**
 * The local Azure stack: Azurite (blob, queue, table), the Azure Files emulator and cosmosdb-server in
 * one process, the mapping of its endpoints onto the product's settings, and the rule by which every
 * `afb` command finds Azure (explicit settings, a running `afb stack up`, or an embedded stack).
 */
export { startLocalStack, type LocalStack, type LocalStackOptions } from "./local-stack";
export { toProductSettings, type ProductSettings } from "./product-settings";
export { resolveEnvironment, CONNECTION_SETTINGS, DEFAULT_STACK_DIR, type ResolvedEnvironment, type ResolveEnvironmentOptions } from "./resolve-environment";
export { findRunningStack, readStackFile, writeStackFile, removeStackFile, takeDataLock, STACK_FILE, type StackFile } from "./stack-file";
export { ALL_SERVICES, DEFAULT_PORTS, type CosmosSettings, type StackService, type StackSettings } from "./types";
export { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, DEV_COSMOS_KEY, endpointsOf } from "./connection-strings";
export type { FaultOptions, FilesEmulatorHandle } from "./files";
