/**
 * The resources the product relies on, read off the compiled template: the Flex Consumption app on
 * Node 22, the Cosmos DB node index (partition key and indexing policy), the backup repository's
 * protection (versioning, soft delete, optional immutability) and its table and queues, and the azd
 * conventions (resource token naming, a description on every parameter).
 */
import { FRONTIER_TABLE } from "../../../src/adapters/table/frontier-store";
import { NODES_CONTAINER, NODES_INDEXING_POLICY, PARTITION_KEY_PATH } from "../../../src/adapters/cosmos/container";
import { allTemplates, loadCompiledTemplate, moduleParam, moduleTemplate, one, resolve, resource, type ArmTemplate } from "./compiled-template";

let template: ArmTemplate;
beforeAll(() => {
  template = loadCompiledTemplate();
});

test("every parameter of every template has a description", () => {
  const missing = allTemplates(template).flatMap((t) =>
    Object.entries(t.parameters ?? {})
      .filter(([, p]) => !p.metadata?.description)
      .map(([name]) => name),
  );
  expect(missing).toEqual([]);
});

test("main.bicep targets the subscription and names resources from the azd resource token", () => {
  expect((template as unknown as { $schema: string }).$schema).toContain("subscriptionDeploymentTemplate");
  expect(template.variables?.resourceToken).toBe("[toLower(uniqueString(subscription().id, parameters('environmentName'), parameters('location')))]");
  expect(resource(template, "rg").type).toBe("Microsoft.Resources/resourceGroups");
});

test("the function app: Flex Consumption FC1, Linux, Node 22, identity-based deployment storage", () => {
  const mod = resource(template, "app");
  expect(moduleParam(mod, "nodeVersion")).toBe("22");
  expect(moduleParam(mod, "serviceName")).toBe("api");
  const inner = moduleTemplate(mod);
  expect(one(inner, "Microsoft.Web/serverfarms")).toMatchObject({ sku: { name: "FC1", tier: "FlexConsumption" }, properties: { reserved: true } });
  const app = one(inner, "Microsoft.Web/sites");
  expect(app.kind).toBe("functionapp,linux");
  expect(app.tags).toBe("[union(parameters('tags'), createObject('azd-service-name', parameters('serviceName')))]");
  const config = app.properties?.functionAppConfig as Record<string, Record<string, unknown>>;
  expect(config.runtime).toEqual({ name: "node", version: "[parameters('nodeVersion')]" });
  expect(config.deployment.storage).toEqual({
    type: "blobContainer",
    value: "[parameters('deploymentContainerUrl')]",
    authentication: { type: "UserAssignedIdentity", userAssignedIdentityResourceId: "[parameters('identityId')]" },
  });
  expect(app.properties).toMatchObject({ httpsOnly: true });
});

test("Cosmos DB: the nodes container has the code's partition key and exactly its indexing policy", () => {
  const mod = resource(template, "cosmos");
  expect(moduleParam(mod, "databaseName")).toBe("[variables('cosmosDatabaseName')]");
  const inner = moduleTemplate(mod);
  const nodes = resolve(inner, one(inner, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers").properties) as { resource: Record<string, unknown> };
  expect(nodes.resource.id).toBe(NODES_CONTAINER);
  expect(PARTITION_KEY_PATH).toBe("/parentId");
  expect(nodes.resource.partitionKey).toEqual({ paths: [PARTITION_KEY_PATH], kind: "Hash", version: 2 });
  expect(nodes.resource.indexingPolicy).toEqual(NODES_INDEXING_POLICY);
  expect(NODES_INDEXING_POLICY.includedPaths).toEqual([{ path: "/parentId/?" }, { path: "/t/?" }]);
});

test("Cosmos DB: serverless by default, autoscale as the one alternative", () => {
  expect(template.parameters?.cosmosThroughputMode).toMatchObject({ defaultValue: "serverless", allowedValues: ["serverless", "autoscale"] });
  const inner = moduleTemplate(resource(template, "cosmos"));
  expect(inner.variables?.serverless).toBe("[equals(parameters('throughputMode'), 'serverless')]");
  expect(one(inner, "Microsoft.DocumentDB/databaseAccounts").properties?.capabilities).toBe("[if(variables('serverless'), createArray(createObject('name', 'EnableServerless')), createArray())]");
  expect((one(inner, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers").properties as { options: string }).options).toBe(
    "[if(variables('serverless'), createObject(), createObject('autoscaleSettings', createObject('maxThroughput', parameters('autoscaleMaxThroughput'))))]",
  );
});

test("repository: versioning, blob and container soft delete, optional unlocked WORM policy", () => {
  const mod = resource(template, "repository");
  expect(moduleParam(mod, "containerName")).toBe("[variables('repositoryContainerName')]");
  expect(template.parameters?.repositoryImmutabilityDays).toMatchObject({ defaultValue: 0 });
  const inner = moduleTemplate(mod);
  expect(one(inner, "Microsoft.Storage/storageAccounts/blobServices").properties).toEqual({
    isVersioningEnabled: true,
    deleteRetentionPolicy: { enabled: true, days: "[parameters('softDeleteRetentionDays')]" },
    containerDeleteRetentionPolicy: { enabled: true, days: "[parameters('softDeleteRetentionDays')]" },
  });
  expect(one(inner, "Microsoft.Storage/storageAccounts/blobServices/containers").properties).toEqual({
    publicAccess: "None",
    immutableStorageWithVersioning: { enabled: "[greater(parameters('immutabilityDays'), 0)]" },
  });
  const policy = one(inner, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies");
  expect(policy.condition).toBe("[greater(parameters('immutabilityDays'), 0)]");
  expect(policy.properties).toMatchObject({ immutabilityPeriodSinceCreationInDays: "[parameters('immutabilityDays')]" });
  expect(policy.properties).not.toHaveProperty("state");
});

test("repository: the share registry and scan frontier tables and the request queues", () => {
  const mod = resource(template, "repository");
  expect(moduleParam(mod, "sharesTableName")).toBe("shares");
  expect(moduleParam(mod, "frontierTableName")).toBe(FRONTIER_TABLE);
  expect(moduleParam(mod, "queueNames")).toEqual(["backup-requests", "backup-requests-poison"]);
  const inner = moduleTemplate(mod);
  expect(one(inner, "Microsoft.Storage/storageAccounts/queueServices/queues").copy?.count).toBe("[length(parameters('queueNames'))]");
  expect(one(inner, "Microsoft.Storage/storageAccounts/tableServices/tables", "sharesTableName").name).toContain("parameters('sharesTableName')");
  expect(one(inner, "Microsoft.Storage/storageAccounts/tableServices/tables", "frontierTableName").name).toContain("parameters('frontierTableName')");
});

test("monitoring: workspace-based Application Insights on a Log Analytics workspace", () => {
  const inner = moduleTemplate(resource(template, "monitoring"));
  expect(one(inner, "Microsoft.OperationalInsights/workspaces").properties).toMatchObject({ sku: { name: "PerGB2018" } });
  expect(one(inner, "Microsoft.Insights/components").properties).toMatchObject({
    WorkspaceResourceId: "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]",
  });
});
