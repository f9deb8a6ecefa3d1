/**
 * The azure-files adapter reaches a share with each kind of credential it accepts: connection string
 * (the other tests), account SAS on a URL, a SAS connection string, and account name + key.
 */
import { AccountSASPermissions } from "@azure/storage-file-share";
import { createShareServiceClient, filesCredentialsFromSettings, type FilesCredentials } from "../../../src/adapters/azure-files/client";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { scanShare } from "../../../src/core/scan/scanner";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, endpointsOf } from "../../../src/local/stack";
import { build, FAST_RETRY, newShare, startWorld, type ScanWorld } from "./fixture";

let world: ScanWorld;
let shareName: string;
jest.setTimeout(30_000);
beforeAll(async () => {
  world = await startWorld("credentials");
  const { share } = await newShare(world);
  shareName = share.name;
  await build(share, { "d/": "", "d/f.txt": "x" });
}, 60_000);
afterAll(async () => {
  await world?.close();
});

function sas(): { url: string; sasToken: string } {
  const full = world.service.generateAccountSasUrl(new Date(Date.now() + 3_600_000), AccountSASPermissions.parse("rl"), "sco");
  const [url, sasToken] = full.split("?");
  return { url, sasToken };
}

async function filesSeen(creds: FilesCredentials): Promise<number> {
  const reader = AzureShareReader.of(createShareServiceClient(creds, { retryOptions: FAST_RETRY }), shareName);
  const cs = await scanShare({ shareId: "creds", reader, index: new MemoryNodeIndex(), now: () => 0 });
  return cs.stats.files;
}

test("an account SAS on the URL", async () => {
  expect(await filesSeen(sas())).toBe(1);
});

test("a SAS connection string", async () => {
  const { url, sasToken } = sas();
  expect(await filesSeen({ connectionString: `FileEndpoint=${url};SharedAccessSignature=${sasToken}` })).toBe(1);
});

test("account name and key", async () => {
  const url = endpointsOf(world.stack.settings.files).FileEndpoint as string;
  expect(await filesSeen({ url, accountName: DEV_ACCOUNT_NAME, accountKey: DEV_ACCOUNT_KEY })).toBe(1);
});

test("settings: a connection string, or a service URI for a managed identity; bad values are named", () => {
  const get = (values: Record<string, string>) => (name: string) => values[name];
  expect(filesCredentialsFromSettings(get({ AFB_FILES: "x" }))).toEqual({ connectionString: "x" });
  const mi = filesCredentialsFromSettings(get({ AFB_FILES__serviceUri: "https://acct.file.core.windows.net", AFB_FILES__credential: "managedidentity" }));
  expect(mi).toMatchObject({ url: "https://acct.file.core.windows.net" });
  expect("credential" in mi).toBe(true);
  expect(() => filesCredentialsFromSettings(get({}))).toThrow(/set AFB_FILES .* or AFB_FILES__serviceUri/);
  expect(() => filesCredentialsFromSettings(get({ AFB_FILES__serviceUri: "https://a.file.core.windows.net", AFB_FILES__credential: "password" }))).toThrow(/AFB_FILES__credential must be "managedidentity"/);
  expect(() => createShareServiceClient({ connectionString: "nonsense" })).toThrow(/connection string is malformed/);
});
