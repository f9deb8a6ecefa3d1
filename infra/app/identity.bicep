// The app's one user-assigned managed identity. Every data-plane role in the templates is granted to
// it, and every identity-based app setting names its client id, so no key or connection string is
// ever needed. A user-assigned identity (rather than system-assigned) exists before the Function App,
// so role assignments are in place before the host first starts.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
