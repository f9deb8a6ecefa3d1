/**
 * The token credential of an identity-based connection setting group (`<PREFIX>__credential`,
 * `<PREFIX>__clientId`), read the way the Functions host reads its own identity-based connections:
 * `managedidentity` uses the app's managed identity (user-assigned when a client id is given); unset
 * falls back to DefaultAzureCredential (a developer's `az login`). Anything else is refused by name.
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import type { SettingsSource } from "../../config/settings";

export function credentialFromSettings(get: SettingsSource, prefix: string): TokenCredential {
  const kind = get(`${prefix}__credential`);
  const clientId = get(`${prefix}__clientId`);
  if (kind === undefined) return new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
  if (kind.toLowerCase() === "managedidentity") return clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId });
  throw new Error(`${prefix}__credential must be 'managedidentity' (or unset), got ${JSON.stringify(kind)}`);
}
