/**
 * Builds a TableClient of the repository account from settings, the way the Functions app names them:
 * AFB_REPOSITORY (a connection string; local stack, or accounts with keys) or, identity-based,
 * AFB_REPOSITORY__tableServiceUri with AFB_REPOSITORY__credential=managedidentity (and
 * AFB_REPOSITORY__clientId for a user-assigned identity; without __credential the
 * DefaultAzureCredential chain, e.g. `az login`). Errors name the setting, never its value.
 */
import { credentialFromSettings } from "../identity/credential";
import { TableClient, type TableServiceClientOptions } from "@azure/data-tables";
import type { SettingsSource } from "../../config/settings";

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

/** A client of `tableName` in the repository account named by the settings. */
export function repositoryTableClient(get: SettingsSource, tableName: string, options: TableServiceClientOptions = {}): TableClient {
  if (!TABLE_NAME.test(tableName)) throw new Error(`invalid table name ${JSON.stringify(tableName)}: 3-63 letters and digits, starting with a letter`);
  const connectionString = get("AFB_REPOSITORY");
  if (connectionString !== undefined) {
    const insecure = /^DefaultEndpointsProtocol=http;|TableEndpoint=http:/i.test(connectionString) || /^UseDevelopmentStorage=true/i.test(connectionString);
    try {
      return TableClient.fromConnectionString(connectionString, tableName, { ...options, allowInsecureConnection: insecure });
    } catch (err) {
      throw new Error("AFB_REPOSITORY is not a valid connection string with a table endpoint", { cause: err });
    }
  }
  const serviceUri = get("AFB_REPOSITORY__tableServiceUri");
  if (serviceUri === undefined) throw new Error("the share registry is not configured: set AFB_REPOSITORY or AFB_REPOSITORY__tableServiceUri");
  if (!/^https?:\/\/[^\s?#]+$/.test(serviceUri)) throw new Error("AFB_REPOSITORY__tableServiceUri must be an http(s) URL without a query string");
  const credential = credentialFromSettings(get, "AFB_REPOSITORY");
  return new TableClient(serviceUri, tableName, credential, options);
}
