// Grants one principal Cosmos DB's built-in data-plane role on the whole account. Cosmos DB's data
// RBAC is separate from Azure RBAC: it is a sqlRoleAssignment on the account, and it is the only way
// in once disableLocalAuth turns keys off.

import { roles } from 'roles.bicep'

@description('Name of the existing Cosmos DB account.')
param accountName string

@description('Object (principal) id that receives the role.')
param principalId string

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: accountName
}

resource assignment 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, principalId, roles.cosmosDbBuiltInDataContributor)
  properties: {
    principalId: principalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${roles.cosmosDbBuiltInDataContributor}'
    scope: account.id
  }
}
