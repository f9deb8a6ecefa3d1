// Cosmos DB for NoSQL account of the node index: database and the `nodes` container (one small item
// per file or directory, partitioned by its parent directory so a directory listing is one
// single-partition query). Serverless by default; autoscale provisioned throughput as an option.
// Keys are disabled: the app uses Cosmos DB's data-plane RBAC through its managed identity.

@description('Name of the Cosmos DB account (3-44 lowercase letters, digits and hyphens).')
param name string

@description('Azure region of the account.')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Database of the node index (AFB_COSMOS_DATABASE).')
param databaseName string

@description('serverless: pay per request, no capacity to plan; autoscale: provisioned throughput that scales between 10% and 100% of autoscaleMaxThroughput.')
@allowed(['serverless', 'autoscale'])
param throughputMode string

@description('Autoscale ceiling in RU/s of the nodes container (used only when throughputMode is autoscale).')
@minValue(1000)
param autoscaleMaxThroughput int

var serverless = throughputMode == 'serverless'

// Exactly NODES_INDEXING_POLICY of src/adapters/cosmos/container.ts (a test compares them): only
// /parentId and /t are indexed, because directory listings are scoped to one parentId, the query of a
// directory's sealed subdirectories also filters on t (present on directories only), and the FileId
// lookup filters on id (always indexed) and a parentId prefix; indexing anything else would only make
// every write cost more request units.
var nodesIndexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [{ path: '/parentId/?' }, { path: '/t/?' }]
  excludedPaths: [{ path: '/*' }, { path: '/"_etag"/?' }]
}

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
  }
}

resource nodes 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'nodes'
  properties: {
    resource: {
      id: 'nodes'
      partitionKey: { paths: ['/parentId'], kind: 'Hash', version: 2 }
      indexingPolicy: nodesIndexingPolicy
    }
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

output name string = account.name
output id string = account.id
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output nodesContainerName string = nodes.name
