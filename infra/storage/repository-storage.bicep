// The backup repository account, which is the source of truth for every backup: the blob container of
// packs and metadata, the share registry table and the backup request queues. Protection against
// deletion and ransomware: blob versioning, blob and container soft delete, and optionally a
// time-based immutability (WORM) policy on the repository container. Shared keys are off.

@description('Name of the storage account (3-24 lowercase letters and digits).')
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object = {}

@description('Blob container that holds the backup repository (AFB_REPOSITORY_CONTAINER).')
param containerName string

@description('Redundancy of the repository account.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS', 'Standard_RAGRS', 'Standard_RAGZRS'])
param skuName string

@description('Table of the share registry.')
param sharesTableName string

@description('Name of the table holding the backup scans\' frontier (src/adapters/table/frontier-store.ts).')
param frontierTableName string

@description('Queues the app uses: backup requests and their poison queue.')
param queueNames array

@description('Days a deleted blob, blob version or container can still be recovered (1-365).')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Days every blob version stays immutable after it is written; 0 leaves the container mutable.')
@minValue(0)
@maxValue(146000)
param immutabilityDays int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteRetentionDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteRetentionDays }
  }
}

// Version-level immutability can only be switched on when the container is created, so the choice
// is made at the first deployment.
resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
    immutableStorageWithVersioning: { enabled: immutabilityDays > 0 }
  }
}

// Created unlocked: locking is irreversible, so it is left to the owner (portal or CLI) once the
// retention period is settled.
resource immutabilityPolicy 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (immutabilityDays > 0) {
  parent: container
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: immutabilityDays
    allowProtectedAppendWritesAll: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource sharesTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: sharesTableName
}

// The scan's frontier (directories still to list), kept outside the orchestration history.
resource frontierTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: frontierTableName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output containerName string = container.name
output sharesTableName string = sharesTable.name
