/**
 * Maps the local stack's settings onto the product's setting names (src/config/settings.ts), the names
 * the Functions app, the CLI and local.settings.json share. Guarantees: only names declared there are
 * produced, and a service the stack does not run produces no setting.
 */
import { SETTINGS } from "../../config/settings";
import { devConnectionString, endpointsOf } from "./connection-strings";
import type { StackSettings } from "./types";

/** Product setting name -> value. */
export type ProductSettings = Record<string, string>;

/** The settings a stack contributes: AFB_FILES, AFB_REPOSITORY (blob+queue+table), AFB_COSMOS__*. */
export function toProductSettings(stack: Partial<StackSettings>): ProductSettings {
  const out: ProductSettings = {};
  if (stack.files !== undefined) out.AFB_FILES = stack.files;
  const repository = {
    ...(stack.blob !== undefined ? { BlobEndpoint: endpointsOf(stack.blob).BlobEndpoint } : {}),
    ...(stack.queue !== undefined ? { QueueEndpoint: endpointsOf(stack.queue).QueueEndpoint } : {}),
    ...(stack.table !== undefined ? { TableEndpoint: endpointsOf(stack.table).TableEndpoint } : {}),
  };
  if (Object.keys(repository).length > 0) out.AFB_REPOSITORY = devConnectionString(repository);
  if (stack.cosmos !== undefined) {
    out.AFB_COSMOS__accountEndpoint = stack.cosmos.endpoint;
    out.AFB_COSMOS__key = stack.cosmos.key;
    out.AFB_COSMOS__caCert = stack.cosmos.caCert;
  }
  for (const name of Object.keys(out)) {
    if (!SETTINGS.some((s) => s.name === name)) throw new Error(`setting ${name} is not declared in src/config/settings.ts`);
  }
  return out;
}
