/**
 * The lazily loaded credential against a local managed-identity endpoint in the App Service / Functions
 * form (IDENTITY_ENDPOINT + IDENTITY_HEADER): the real @azure/identity asks it for a token only when a
 * token is needed, with the user-assigned client id from the settings.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { credentialFromSettings } from "../../../src/adapters/identity/credential";

const CLIENT_ID = "00000000-0000-0000-0000-0000000000a1";
let server: Server;
const requests: IncomingMessage[] = [];
const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ access_token: "token-from-local-endpoint", expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: "https://storage.azure.com", token_type: "Bearer", client_id: CLIENT_ID }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;
  process.env.IDENTITY_HEADER = "local-header";
});

afterAll(async () => {
  process.env.IDENTITY_ENDPOINT = saved.endpoint;
  process.env.IDENTITY_HEADER = saved.header;
  if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
  if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
  await new Promise((resolve) => server.close(resolve));
});

test("managedidentity settings give a credential that asks the endpoint only when a token is needed", async () => {
  const credential = credentialFromSettings((name) => ({ AFB_REPOSITORY__credential: "managedidentity", AFB_REPOSITORY__clientId: CLIENT_ID })[name], "AFB_REPOSITORY");
  expect(requests).toHaveLength(0);
  const token = await credential.getToken("https://storage.azure.com/.default");
  expect(token?.token).toBe("token-from-local-endpoint");
  expect(requests).toHaveLength(1);
  expect(requests[0].headers["x-identity-header"]).toBe("local-header");
  expect(new URL(requests[0].url ?? "", "http://x").searchParams.get("client_id")).toBe(CLIENT_ID);
});

test("a credential kind other than managedidentity is refused by name", () => {
  expect(() => credentialFromSettings((name) => ({ AFB_REPOSITORY__credential: "password" })[name], "AFB_REPOSITORY")).toThrow(/AFB_REPOSITORY__credential must be 'managedidentity'/);
});
