// Grants one principal Monitoring Metrics Publisher on the Application Insights resource: with local
// authentication disabled there, this role is what lets the app's identity send any telemetry.

import { roles } from 'roles.bicep'

@description('Name of the existing Application Insights resource.')
param applicationInsightsName string

@description('Object (principal) id that receives the role.')
param principalId string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}
