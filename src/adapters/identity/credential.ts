/**
 * The token credential of an identity-based connection setting group (`<PREFIX>__credential`,
 * `<PREFIX>__clientId`), read the way the Functions host reads its own identity-based connections:
 * `managedidentity` uses the app's managed identity (user-assigned when a client id is given); unset
 * falls back to DefaultAzureCredential (a developer's `az login`). Anything else is refused by name.
 * @azure/identity is loaded at the first token request, not at startup: it costs ~0.1 s to load, and
 * connection-string and key setups (the local stack, `afb` on a laptop) never need it.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import type { SettingsSource } from "../../config/settings";

/** Which credential to build, decided from the settings before @azure/identity is loaded. */
export type CredentialChoice = { readonly kind: "default"; readonly clientId?: string } | { readonly kind: "managed"; readonly clientId?: string };

/** A TokenCredential that builds the chosen @azure/identity credential on first use. */
export function lazyCredential(choice: CredentialChoice): TokenCredential {
  let built: Promise<TokenCredential> | undefined;
  const build = async (): Promise<TokenCredential> => {
    const identity = await import("@azure/identity");
    if (choice.kind === "managed") return choice.clientId === undefined ? new identity.ManagedIdentityCredential() : new identity.ManagedIdentityCredential({ clientId: choice.clientId });
    return new identity.DefaultAzureCredential(choice.clientId === undefined ? {} : { managedIdentityClientId: choice.clientId });
  };
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      built ??= build();
      return (await built).getToken(scopes, options);
    },
  };
}

export function credentialFromSettings(get: SettingsSource, prefix: string): TokenCredential {
  const kind = get(`${prefix}__credential`);
  const clientId = get(`${prefix}__clientId`);
  if (kind === undefined) return lazyCredential({ kind: "default", clientId });
  if (kind.toLowerCase() === "managedidentity") return lazyCredential({ kind: "managed", clientId });
  throw new Error(`${prefix}__credential must be 'managedidentity' (or unset), got ${JSON.stringify(kind)}`);
}
