// Grants one principal a set of data-plane roles on one existing storage account. Deployed into the
// account's own resource group, so it also serves source and restore accounts that live in other
// resource groups or subscriptions. Assignment names are derived from (account, principal, role), so
// redeploying is idempotent.

@description('Name of the existing storage account to grant access on.')
param storageAccountName string

@description('Object (principal) id that receives the roles.')
param principalId string

@description('Kind of principal: ServicePrincipal for a managed identity, User for a person.')
@allowed(['ServicePrincipal', 'User', 'Group'])
param principalType string

@description('Role definition ids (GUIDs) to assign; see infra/security/roles.bicep for their names.')
param roleDefinitionIds array

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleDefinitionIds: {
    name: guid(account.id, principalId, roleId)
    scope: account
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
