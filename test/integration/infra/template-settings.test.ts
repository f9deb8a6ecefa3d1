/**
 * The code's settings and the compiled template agree: every app setting infra/main.bicep sets is a
 * name src/config/settings.ts declares (or one the Functions host itself reads), every identity-based
 * setting the code needs is set, no local-only secret setting is, and the azd outputs and
 * local.settings.sample.json use only known names.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SETTINGS } from "../../../src/config/settings";
import { ROOT, loadCompiledTemplate, moduleParam, moduleTemplate, one, resource, type ArmTemplate } from "./compiled-template";

/** Settings the Functions host (not our code) reads; settings.ts need not declare them. */
const HOST_SETTINGS = new Set([
  "FUNCTIONS_WORKER_RUNTIME",
  "AzureWebJobsStorage",
  "AzureWebJobsStorage__accountName",
  "AzureWebJobsStorage__credential",
  "AzureWebJobsStorage__clientId",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
]);

/** Settings for the local stack only: secrets, and the local emulator's certificate path. */
const LOCAL_ONLY = new Set(SETTINGS.filter((s) => s.localOnly).map((s) => s.name));

const CODE_SETTINGS = new Set(SETTINGS.map((s) => s.name));
const KNOWN = new Set([...CODE_SETTINGS, ...HOST_SETTINGS]);

let template: ArmTemplate;
let appSettings: Record<string, unknown>;

beforeAll(() => {
  template = loadCompiledTemplate();
  appSettings = moduleParam(resource(template, "app"), "appSettings") as Record<string, unknown>;
});

test("the function module applies exactly the app settings main.bicep lists", () => {
  const inner = moduleTemplate(resource(template, "app"));
  expect(one(inner, "Microsoft.Web/sites/config", "'appsettings'").properties).toBe("[parameters('appSettings')]");
  expect(typeof appSettings).toBe("object");
});

test("every app setting the template sets is declared in settings.ts or read by the Functions host", () => {
  const unknown = Object.keys(appSettings).filter((name) => !KNOWN.has(name));
  expect(unknown).toEqual([]);
});

test("every identity-based setting the code reads is set by the template", () => {
  const needed = [...CODE_SETTINGS].filter((name) => !LOCAL_ONLY.has(name));
  expect(needed.length).toBeGreaterThan(10);
  expect(needed.filter((name) => !(name in appSettings))).toEqual([]);
});

test("no local-only or key-based setting is set: no secret, no connection string", () => {
  expect(Object.keys(appSettings).filter((name) => LOCAL_ONLY.has(name))).toEqual([]);
  expect(appSettings).not.toHaveProperty("AzureWebJobsStorage");
  // Flex Consumption rejects the runtime as an app setting: it lives in functionAppConfig.
  expect(appSettings).not.toHaveProperty("FUNCTIONS_WORKER_RUNTIME");
  const text = JSON.stringify(template);
  for (const keyish of ["listKeys(", "listConnectionStrings(", "AccountKey=", "SharedAccessSignature="]) expect(text).not.toContain(keyish);
});

test("identity-based connections use the managed identity and its client id", () => {
  const credentials = Object.entries(appSettings).filter(([name]) => name.endsWith("__credential"));
  const clientIds = Object.entries(appSettings).filter(([name]) => name.endsWith("__clientId"));
  expect(credentials.map(([name]) => name.replace(/__credential$/, "")).sort()).toEqual(["AFB_COSMOS", "AFB_FILES", "AFB_REPOSITORY", "AzureWebJobsStorage"]);
  for (const [, value] of credentials) expect(value).toBe("managedidentity");
  expect(clientIds.map(([name]) => name.replace(/__clientId$/, "")).sort()).toEqual(credentials.map(([name]) => name.replace(/__credential$/, "")).sort());
  for (const [, value] of clientIds) expect(value).toBe("[reference('identity').outputs.clientId.value]");
  expect(appSettings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe("[format('ClientId={0};Authorization=AAD', reference('identity').outputs.clientId.value)]");
});

test("settings point at the resources the template creates, with the code's default names", () => {
  expect(appSettings).toMatchObject({
    AzureWebJobsStorage__accountName: "[reference('hostStorage').outputs.name.value]",
    AFB_REPOSITORY__blobServiceUri: "[reference('repository').outputs.blobEndpoint.value]",
    AFB_REPOSITORY__queueServiceUri: "[reference('repository').outputs.queueEndpoint.value]",
    AFB_REPOSITORY__tableServiceUri: "[reference('repository').outputs.tableEndpoint.value]",
    AFB_COSMOS__accountEndpoint: "[reference('cosmos').outputs.endpoint.value]",
    APPLICATIONINSIGHTS_CONNECTION_STRING: "[reference('monitoring').outputs.connectionString.value]",
  });
  expect(template.variables).toMatchObject({ repositoryContainerName: "afb-repository", cosmosDatabaseName: "afb", taskHubName: "afb" });
});

test("azd outputs are named like the settings they mirror, and carry no credential", () => {
  const names = Object.keys(template.outputs ?? {});
  expect(names.filter((name) => !name.startsWith("AZURE_") && !KNOWN.has(name))).toEqual([]);
  expect(names.filter((name) => /(__credential|__clientId|__key|Key|Secret|Password)$/i.test(name))).toEqual([]);
  expect(names).toEqual(expect.arrayContaining(["AFB_REPOSITORY__blobServiceUri", "AFB_COSMOS__accountEndpoint", "AFB_COSMOS_DATABASE", "AFB_TASK_HUB"]));
});

test("local.settings.sample.json uses only known setting names", () => {
  const sample = JSON.parse(readFileSync(join(ROOT, "local.settings.sample.json"), "utf8")) as { Values: Record<string, string> };
  const names = Object.keys(sample.Values);
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((name) => !KNOWN.has(name))).toEqual([]);
});
