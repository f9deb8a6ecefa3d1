// The "Azure Files backup" workbook, shown under the Application Insights resource (Workbooks). Its
// content is infra/monitor/backup-workbook.json, edited as a file (export it from the portal's
// Advanced editor after changing it there). Queries read customEvents / customMetrics (the app's
// telemetry), requests (function executions) and traces (Durable Functions orchestration states).

@description('Display name of the workbook.')
param displayName string = 'Azure Files backup'

@description('Azure region of the workbook.')
param location string

@description('Tags applied to the workbook.')
param tags object = {}

@description('Resource id of the Application Insights resource the workbook queries and is listed under.')
param applicationInsightsId string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name must be a GUID; stable per Application Insights resource so redeploys update it.
  name: guid(applicationInsightsId, 'afb-backup-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsightsId
    serializedData: loadTextContent('backup-workbook.json')
  }
}

output workbookId string = workbook.id
