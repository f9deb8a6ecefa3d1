/**
 * Identity only and least privilege, read off the compiled template: no account the app owns accepts a
 * key, each role GUID is the built-in role its name says, and each role is granted to the app's
 * identity on exactly the resource that needs it (File Data Privileged Contributor only on the
 * restore-to-share accounts).
 */
import { allResources, loadCompiledTemplate, moduleParam, moduleTemplate, one, resolve, resource, resourcesOf, type ArmResource, type ArmTemplate } from "./compiled-template";

/** Built-in role GUIDs by name, as Azure's built-in role list publishes them. */
const ROLE = {
  storageFileDataPrivilegedReader: "b8eda974-7b85-4f76-af95-65846b26df6d",
  storageFileDataPrivilegedContributor: "69566ab7-960f-475b-8e7c-b3118f30c6bd",
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  cosmosDbBuiltInDataContributor: "00000000-0000-0000-0000-000000000002",
} as const;

const APP_PRINCIPAL = "[reference('identity').outputs.principalId.value]";

let template: ArmTemplate;
beforeAll(() => {
  template = loadCompiledTemplate();
});

/** The role GUIDs a storage-roles module instance assigns. */
function rolesOf(symbolicName: string): unknown {
  return resolve(template, moduleParam(resource(template, symbolicName), "roleDefinitionIds"));
}

test("the roles table holds exactly the built-in role GUIDs, under their names", () => {
  expect(template.variables?.roles).toEqual(ROLE);
});

test("storage accounts the app owns refuse shared keys; Cosmos DB and App Insights refuse local auth", () => {
  const owned = allResources(template).filter(({ resource: r }) => !r.existing);
  const storage = owned.filter(({ resource: r }) => r.type === "Microsoft.Storage/storageAccounts");
  expect(storage).toHaveLength(2);
  for (const { resource: r } of storage) expect(r.properties).toMatchObject({ allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: "TLS1_2" });
  const cosmos = owned.filter(({ resource: r }) => r.type === "Microsoft.DocumentDB/databaseAccounts");
  expect(cosmos).toHaveLength(1);
  expect(cosmos[0].resource.properties).toMatchObject({ disableLocalAuth: true, disableKeyBasedMetadataWriteAccess: true });
  const insights = owned.filter(({ resource: r }) => r.type === "Microsoft.Insights/components");
  expect(insights).toHaveLength(1);
  expect(insights[0].resource.properties).toMatchObject({ DisableLocalAuth: true });
});

test("the function app has no publishing-profile credentials and runs as the user-assigned identity only", () => {
  const inner = moduleTemplate(resource(template, "app"));
  expect(one(inner, "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "'ftp'").properties).toEqual({ allow: false });
  expect(one(inner, "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "'scm'").properties).toEqual({ allow: false });
  expect((one(inner, "Microsoft.Web/sites").identity as { type: string }).type).toBe("UserAssigned");
});

test("storage role assignments are scoped to the one account the module is given", () => {
  const inner = moduleTemplate(resource(template, "hostRoles"));
  const assignment = one(inner, "Microsoft.Authorization/roleAssignments");
  expect(assignment.scope).toBe("[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]");
  expect(assignment.copy?.count).toBe("[length(parameters('roleDefinitionIds'))]");
  expect(assignment.properties?.roleDefinitionId).toBe("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', parameters('roleDefinitionIds')[copyIndex()])]");
});

test("host storage: Blob Data Owner, Queue and Table Data Contributor, for the app", () => {
  const mod = resource(template, "hostRoles");
  expect(moduleParam(mod, "storageAccountName")).toBe("[reference('hostStorage').outputs.name.value]");
  expect(moduleParam(mod, "principalId")).toBe(APP_PRINCIPAL);
  expect(rolesOf("hostRoles")).toEqual([ROLE.storageBlobDataOwner, ROLE.storageQueueDataContributor, ROLE.storageTableDataContributor]);
});

test("repository: Blob, Queue and Table Data Contributor (not Owner), for the app", () => {
  const mod = resource(template, "repositoryRoles");
  expect(moduleParam(mod, "storageAccountName")).toBe("[reference('repository').outputs.name.value]");
  expect(moduleParam(mod, "principalId")).toBe(APP_PRINCIPAL);
  expect(rolesOf("repositoryRoles")).toEqual([ROLE.storageBlobDataContributor, ROLE.storageQueueDataContributor, ROLE.storageTableDataContributor]);
});

function expectPerAccountModule(symbolicName: string, listParam: string, role: string): void {
  const mod: ArmResource = resource(template, symbolicName);
  expect(mod.copy?.count).toBe(`[length(parameters('${listParam}'))]`);
  expect(mod.subscriptionId).toBe(`[split(parameters('${listParam}')[copyIndex()], '/')[2]]`);
  expect(mod.resourceGroup).toBe(`[split(parameters('${listParam}')[copyIndex()], '/')[4]]`);
  expect(moduleParam(mod, "storageAccountName")).toBe(`[last(split(parameters('${listParam}')[copyIndex()], '/'))]`);
  expect(moduleParam(mod, "principalId")).toBe(APP_PRINCIPAL);
  expect(rolesOf(symbolicName)).toEqual([role]);
  expect(template.parameters?.[listParam]).toMatchObject({ type: "array", defaultValue: [] });
}

test("source accounts: File Data Privileged Reader only, one assignment per listed account, in its own resource group", () => {
  expectPerAccountModule("sourceReaders", "sourceStorageAccountIds", ROLE.storageFileDataPrivilegedReader);
});

test("restore accounts: File Data Privileged Contributor, and no other module grants it", () => {
  expectPerAccountModule("restoreWriters", "restoreStorageAccountIds", ROLE.storageFileDataPrivilegedContributor);
  const granting = resourcesOf(template)
    .filter(([, r]) => r.type === "Microsoft.Resources/deployments")
    .filter(([, r]) => "roleDefinitionIds" in (r.properties as { parameters: object }).parameters)
    .filter(([name]) => (rolesOf(name) as string[]).includes(ROLE.storageFileDataPrivilegedContributor))
    .map(([name]) => name);
  expect(granting).toEqual(["restoreWriters"]);
});

test("Cosmos DB: the built-in Data Contributor SQL role on the account, for the app", () => {
  const mod = resource(template, "cosmosRole");
  expect(moduleParam(mod, "principalId")).toBe(APP_PRINCIPAL);
  const inner = moduleTemplate(mod);
  const assignment = one(inner, "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");
  const props = resolve(inner, assignment.properties) as Record<string, string>;
  expect(inner.variables?.roles).toEqual(ROLE);
  expect(props.roleDefinitionId).toBe("[format('{0}/sqlRoleDefinitions/{1}', resourceId('Microsoft.DocumentDB/databaseAccounts', parameters('accountName')), variables('roles').cosmosDbBuiltInDataContributor)]");
  expect(props.scope).toBe("[resourceId('Microsoft.DocumentDB/databaseAccounts', parameters('accountName'))]");
});

test("Application Insights: Monitoring Metrics Publisher on that resource, for the app", () => {
  const mod = resource(template, "monitoringRole");
  expect(moduleParam(mod, "principalId")).toBe(APP_PRINCIPAL);
  const inner = moduleTemplate(mod);
  const assignment = one(inner, "Microsoft.Authorization/roleAssignments");
  expect(assignment.scope).toBe("[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]");
  expect(resolve(inner, assignment.properties?.roleDefinitionId)).toBe("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roles').monitoringMetricsPublisher)]");
  expect(inner.variables?.roles).toEqual(ROLE);
});

test("the deploying user gets repository and node-index data access only when asked, and nothing else", () => {
  for (const name of ["principalRepositoryRoles", "principalCosmosRole"]) {
    expect(resource(template, name).condition).toBe("[variables('grantPrincipal')]");
    expect(moduleParam(resource(template, name), "principalId")).toBe("[parameters('principalId')]");
  }
  expect(rolesOf("principalRepositoryRoles")).toEqual([ROLE.storageBlobDataContributor, ROLE.storageQueueDataContributor, ROLE.storageTableDataContributor]);
  expect(template.variables?.grantPrincipal).toBe("[and(parameters('grantPrincipalDataAccess'), not(empty(parameters('principalId'))))]");
});

test("no role assignment anywhere uses a role outside the table", () => {
  const known = new Set<string>(Object.values(ROLE));
  const guids = JSON.stringify(template).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
  expect(guids.filter((g) => !known.has(g))).toEqual([]);
});
