/**
 * createCosmosClient's settings handling (missing or malformed settings fail by name, never with a
 * value), the credential it picks, and the Cosmos certificate's life cycle: generated once per data
 * folder, reused across restarts, replaced when it does not cover the host clients use.
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCosmosClient } from "../../../src/adapters/cosmos/connect";
import { settingsSource } from "../../../src/config/settings";
import { ensureCertificate } from "../../../src/local/stack/certificate";
import { startLocalStack, toProductSettings } from "../../../src/local/stack";

jest.setTimeout(60_000);

const SECRET = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "afb-connect-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("a missing endpoint is reported by the setting's name", () => {
  expect(() => createCosmosClient({ AFB_COSMOS__key: SECRET })).toThrow(/AFB_COSMOS__accountEndpoint is not set/);
});

test("a malformed endpoint or credential names the setting and hides the key", () => {
  expect(() => createCosmosClient({ AFB_COSMOS__accountEndpoint: "not a url", AFB_COSMOS__key: SECRET })).toThrow(/AFB_COSMOS__accountEndpoint is not a valid URL/);
  expect(() => createCosmosClient({ AFB_COSMOS__accountEndpoint: "http://localhost:8081/", AFB_COSMOS__key: SECRET })).toThrow(/must be an https URL/);
  expect(() => createCosmosClient({ AFB_COSMOS__accountEndpoint: "https://a.documents.azure.com/", AFB_COSMOS__credential: "password" })).toThrow(
    /AFB_COSMOS__credential must be "managedidentity"/,
  );
  try {
    createCosmosClient({ AFB_COSMOS__accountEndpoint: "https://a.documents.azure.com/", AFB_COSMOS__key: SECRET, AFB_COSMOS__caCert: join(dir, "missing.pem") });
    throw new Error("expected a failure");
  } catch (err) {
    expect((err as Error).message).toMatch(/AFB_COSMOS__caCert: cannot read the certificate file .*missing\.pem \(ENOENT\)/);
    expect((err as Error).message).not.toContain(SECRET);
  }
});

test("managed identity and DefaultAzureCredential clients are built without a key", () => {
  const mi = createCosmosClient({ AFB_COSMOS__accountEndpoint: "https://a.documents.azure.com:443/", AFB_COSMOS__credential: "managedidentity", AFB_COSMOS__clientId: "00000000-0000-0000-0000-000000000001" });
  const dac = createCosmosClient({ AFB_COSMOS__accountEndpoint: "https://a.documents.azure.com:443/" });
  expect(mi.getWriteEndpoint).toBeInstanceOf(Function);
  expect(dac.getReadEndpoint).toBeInstanceOf(Function);
  mi.dispose();
  dac.dispose();
});

test("settings come from a SettingsSource too, with a relative caCert resolved against cwd", async () => {
  const stack = await startLocalStack({ dataDir: join(dir, "stack"), services: ["cosmos"], ports: { cosmos: 0 } });
  try {
    const product = toProductSettings(stack.settings);
    const env = { ...product, AFB_COSMOS__caCert: join("stack", "cosmos", "cert.pem") };
    const client = createCosmosClient(settingsSource(env, dir), { cwd: dir });
    try {
      const { resource } = await client.databases.createIfNotExists({ id: "from-source" }).then((r) => r.database.read());
      expect(resource?.id).toBe("from-source");
    } finally {
      client.dispose();
    }
  } finally {
    await stack.stop();
  }
});

test("the certificate is made once per data folder and reused across restarts", async () => {
  const first = await startLocalStack({ dataDir: dir, services: ["cosmos"], ports: { cosmos: 0 } });
  const pem = readFileSync(first.settings.cosmos.caCert, "utf8");
  await first.stop();
  const second = await startLocalStack({ dataDir: dir, services: ["cosmos"], ports: { cosmos: 0 } });
  try {
    expect(readFileSync(second.settings.cosmos.caCert, "utf8")).toBe(pem);
    const x509 = new X509Certificate(pem);
    expect(x509.subject).toContain("CN=localhost");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkHost("localhost")).toBe("localhost");
  } finally {
    await second.stop();
  }
});

test("a certificate that does not cover the host is replaced, one that expires within a day too", async () => {
  const local = await ensureCertificate(dir, "127.0.0.1");
  const other = await ensureCertificate(dir, "backup-dev.example");
  expect(other.cert).not.toBe(local.cert);
  expect(new X509Certificate(other.cert).checkHost("backup-dev.example")).toBe("backup-dev.example");
  const validTo = Date.parse(new X509Certificate(other.cert).validTo);
  const renewed = await ensureCertificate(dir, "backup-dev.example", validTo - 60_000);
  expect(renewed.cert).not.toBe(other.cert);
});
