// Everything `azd up` provisions for azure-files-backup, at subscription scope: one resource group
// holding the Function App (Flex Consumption, Node 22) and its user-assigned identity, the host
// storage account, the backup repository account, Cosmos DB and monitoring; plus data-plane role
// assignments on the Azure Files accounts to back up, wherever they live. Identity only: no account
// key, connection string or SAS is created, stored or passed anywhere.
targetScope = 'subscription'

import { roles } from 'security/roles.bicep'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('Object id of the user running azd (AZURE_PRINCIPAL_ID); empty to grant nobody but the app.')
param principalId string = ''

@description('Kind of principal principalId is: User when a person runs azd, ServicePrincipal in a pipeline.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('Give principalId data access to the repository and the node index, so the afb CLI can run against this deployment with `az login`.')
param grantPrincipalDataAccess bool = true

@description('Resource ids of the storage accounts whose file shares are backed up (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>). The app gets Storage File Data Privileged Reader on each; the first one is AFB_FILES__serviceUri.')
param sourceStorageAccountIds array = []

@description('Resource ids of the storage accounts where restore-to-share is enabled. The app gets Storage File Data Privileged Contributor on each, and on no other account.')
param restoreStorageAccountIds array = []

@description('Cosmos DB capacity: serverless (default, pay per request) or autoscale (provisioned RU/s).')
@allowed(['serverless', 'autoscale'])
param cosmosThroughputMode string = 'serverless'

@description('Autoscale ceiling in RU/s of the nodes container when cosmosThroughputMode is autoscale.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Redundancy of the backup repository account (ZRS keeps a copy in three zones of the region).')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS', 'Standard_RAGRS', 'Standard_RAGZRS'])
param repositorySkuName string = 'Standard_ZRS'

@description('Days a deleted repository blob, version or container stays recoverable.')
@minValue(1)
@maxValue(365)
param repositorySoftDeleteDays int = 14

@description('Ransomware protection: days every repository blob version stays immutable (WORM) after it is written; 0 turns it off. Only takes effect when the container is first created.')
@minValue(0)
@maxValue(146000)
param repositoryImmutabilityDays int = 0

@description('How often the schedule timer looks for shares whose backup is due: 6-field NCRONTAB (second minute hour day month day-of-week), UTC.')
param scheduleCron string = '0 */5 * * * *'

@description('Most Function App instances Flex Consumption may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('E-mail address the backup alerts notify (a new action group); empty for none.')
param alertEmail string = ''

@description('Resource id of an existing action group the backup alerts also notify; empty for none.')
param alertActionGroupId string = ''

@description('Memory of each Function App instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-${resourceToken}'

// Names the code reads (src/config/settings.ts defaults) and the repository's fixed resources.
var repositoryContainerName = 'afb-repository'
var cosmosDatabaseName = 'afb'
var taskHubName = 'afb'

var sourceAccountNames = map(sourceStorageAccountIds, id => last(split(id, '/')))
var filesServiceUri = empty(sourceAccountNames)
  ? ''
  : 'https://${sourceAccountNames[0]}.file.${environment().suffixes.storage}'
var grantPrincipal = grantPrincipalDataAccess && !empty(principalId)

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: 'id-${resourceToken}', location: location, tags: tags }
}

module monitoring 'monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module workbook 'monitor/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: { location: location, tags: tags, applicationInsightsId: monitoring.outputs.applicationInsightsId }
}

module alerts 'monitor/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: 'afb-${resourceToken}'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    actionGroupId: alertActionGroupId
    alertEmail: alertEmail
  }
}

module hostStorage 'storage/host-storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: 'sthost${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${take(functionAppName, 32)}'
  }
}

module repository 'storage/repository-storage.bicep' = {
  name: 'repository-storage'
  scope: rg
  params: {
    name: 'strepo${resourceToken}'
    location: location
    tags: tags
    skuName: repositorySkuName
    containerName: repositoryContainerName
    sharesTableName: 'shares'
    frontierTableName: 'afbfrontier'
    queueNames: ['backup-requests', 'backup-requests-poison']
    softDeleteRetentionDays: repositorySoftDeleteDays
    immutabilityDays: repositoryImmutabilityDays
  }
}

module cosmos 'cosmos/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: 'cosmos-${resourceToken}'
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}

module app 'app/function.bicep' = {
  name: 'function-app'
  scope: rg
  dependsOn: [hostRoles, repositoryRoles, cosmosRole, monitoringRole]
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    deploymentContainerUrl: hostStorage.outputs.deploymentContainerUrl
    nodeVersion: '22'
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    // Every name here is one src/config/settings.ts declares, or one the Functions host reads.
    appSettings: {
      AzureWebJobsStorage__accountName: hostStorage.outputs.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
      AFB_FILES__serviceUri: filesServiceUri
      AFB_FILES__credential: 'managedidentity'
      AFB_FILES__clientId: identity.outputs.clientId
      AFB_REPOSITORY__blobServiceUri: repository.outputs.blobEndpoint
      AFB_REPOSITORY__queueServiceUri: repository.outputs.queueEndpoint
      AFB_REPOSITORY__tableServiceUri: repository.outputs.tableEndpoint
      AFB_REPOSITORY__credential: 'managedidentity'
      AFB_REPOSITORY__clientId: identity.outputs.clientId
      AFB_REPOSITORY_CONTAINER: repository.outputs.containerName
      AFB_COSMOS__accountEndpoint: cosmos.outputs.endpoint
      AFB_COSMOS__credential: 'managedidentity'
      AFB_COSMOS__clientId: identity.outputs.clientId
      AFB_COSMOS_DATABASE: cosmos.outputs.databaseName
      AFB_TASK_HUB: taskHubName
      AFB_SCHEDULE_CRON: scheduleCron
    }
  }
}

// ---- Data-plane access of the app's identity ----

module hostRoles 'security/storage-roles.bicep' = {
  name: 'host-storage-roles'
  scope: rg
  params: {
    storageAccountName: hostStorage.outputs.name
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      roles.storageBlobDataOwner // host leases, deployment package
      roles.storageQueueDataContributor // Durable Functions queues
      roles.storageTableDataContributor // Durable Functions history and instances
    ]
  }
}

module repositoryRoles 'security/storage-roles.bicep' = {
  name: 'repository-storage-roles'
  scope: rg
  params: {
    storageAccountName: repository.outputs.name
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      roles.storageBlobDataContributor // packs and metadata
      roles.storageQueueDataContributor // backup requests
      roles.storageTableDataContributor // share registry
    ]
  }
}

module cosmosRole 'security/cosmos-data-role.bicep' = {
  name: 'cosmos-data-role'
  scope: rg
  params: { accountName: cosmos.outputs.name, principalId: identity.outputs.principalId }
}

module monitoringRole 'security/monitoring-role.bicep' = {
  name: 'monitoring-role'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

// Source and restore accounts may sit in any resource group or subscription: each assignment is
// deployed into the account's own resource group, named per environment so two environments can
// share a source account.
module sourceReaders 'security/storage-roles.bicep' = [
  for (id, i) in sourceStorageAccountIds: {
    name: 'afb-source-${resourceToken}-${i}'
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: {
      storageAccountName: last(split(id, '/'))
      principalId: identity.outputs.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionIds: [roles.storageFileDataPrivilegedReader]
    }
  }
]

module restoreWriters 'security/storage-roles.bicep' = [
  for (id, i) in restoreStorageAccountIds: {
    name: 'afb-restore-${resourceToken}-${i}'
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: {
      storageAccountName: last(split(id, '/'))
      principalId: identity.outputs.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionIds: [roles.storageFileDataPrivilegedContributor]
    }
  }
]

// ---- Optional data access of the person (or pipeline) running azd ----

module principalRepositoryRoles 'security/storage-roles.bicep' = if (grantPrincipal) {
  name: 'principal-repository-roles'
  scope: rg
  params: {
    storageAccountName: repository.outputs.name
    principalId: principalId
    principalType: principalType
    roleDefinitionIds: [
      roles.storageBlobDataContributor
      roles.storageQueueDataContributor
      roles.storageTableDataContributor
    ]
  }
}

module principalCosmosRole 'security/cosmos-data-role.bicep' = if (grantPrincipal) {
  name: 'principal-cosmos-data-role'
  scope: rg
  params: { accountName: cosmos.outputs.name, principalId: principalId }
}

// ---- Outputs: azd writes them to .azure/<env>/.env; names match the app settings they mirror ----
// No __credential/__clientId outputs: run locally, the code falls back to the signed-in identity.

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output AFB_FILES__serviceUri string = filesServiceUri
output AFB_REPOSITORY__blobServiceUri string = repository.outputs.blobEndpoint
output AFB_REPOSITORY__queueServiceUri string = repository.outputs.queueEndpoint
output AFB_REPOSITORY__tableServiceUri string = repository.outputs.tableEndpoint
output AFB_REPOSITORY_CONTAINER string = repository.outputs.containerName
output AFB_COSMOS__accountEndpoint string = cosmos.outputs.endpoint
output AFB_COSMOS_DATABASE string = cosmos.outputs.databaseName
output AFB_TASK_HUB string = taskHubName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
