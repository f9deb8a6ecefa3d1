// Log search alert rules over the Application Insights resource, fed by the custom events the app
// sends (src/adapters/app-insights: BackupCompleted / BackupFailed, with the share, its schedule and the
// schedule's interval as `expectedIntervalMs`), and the action group they notify.
//   backup-failed  : any BackupFailed event in the last evaluation window, one alert per share.
//   backup-overdue : a share whose latest successful backup is older than twice its schedule interval.
// A log search rule sees at most `overdueLookback` of data: a share is judged from the events inside it,
// so the overdue rule covers schedules up to every lookback/2 (daily with the default P2D); a share with
// no event at all in the lookback is no longer listed (the failed-backup rule fires before that for a
// share whose runs fail; a share that stops running at all shows in the workbook's "last backup" table).

@description('Name prefix of the rules and the action group.')
param namePrefix string

@description('Azure region of the alert rules (the Application Insights resource\'s region).')
param location string

@description('Tags applied to every resource.')
param tags object = {}

@description('Resource id of the Application Insights resource the rules query.')
param applicationInsightsId string

@description('Resource id of an existing action group the rules notify; empty for none.')
param actionGroupId string = ''

@description('E-mail address to notify through a new action group; empty creates none.')
param alertEmail string = ''

@description('How much history the overdue rule reads (log search rules allow up to two days).')
@allowed(['PT12H', 'P1D', 'P2D'])
param overdueLookback string = 'P2D'

resource emailGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-backup-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'afb-alerts'
    enabled: true
    emailReceivers: [
      { name: 'backup-owner', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

var actionGroups = concat(empty(actionGroupId) ? [] : [actionGroupId], empty(alertEmail) ? [] : [emailGroup.id])

// Properties are strings in customDimensions (numbers included): every use converts explicitly.
var failedQuery = '''
customEvents
| where name == "BackupFailed"
| extend share = tostring(customDimensions.share), shareId = tostring(customDimensions.shareId),
         phase = tostring(customDimensions.phase), failure = tostring(customDimensions.failure),
         instanceId = tostring(customDimensions.instanceId)
| project timestamp, share, shareId, phase, failure, instanceId
'''

var overdueQuery = '''
customEvents
| where name in ("BackupCompleted", "BackupFailed")
| extend share = tostring(customDimensions.share), shareId = tostring(customDimensions.shareId),
         intervalMs = tolong(customDimensions.expectedIntervalMs)
| where isnotempty(shareId)
| summarize lastSuccess = maxif(timestamp, name == "BackupCompleted"),
            firstEvent = min(timestamp),
            intervalMs = take_anyif(intervalMs, isnotnull(intervalMs)),
            share = take_any(share)
          by shareId
| where isnotnull(intervalMs) and intervalMs > 0
| extend allowed = 2 * intervalMs * 1ms
| extend sinceSuccess = iff(isnull(lastSuccess), now() - firstEvent, now() - lastSuccess)
| where sinceSuccess > allowed
| project shareId, share, lastSuccess, firstEvent, intervalMs, sinceSuccess
'''

resource backupFailed 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-backup-failed'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Backup failed'
    description: 'A backup of an Azure Files share failed (BackupFailed event); the alert names the share, the phase and the redacted failure.'
    severity: 1
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: failedQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'share', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: false
    actions: { actionGroups: actionGroups }
  }
}

resource backupOverdue 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-backup-overdue'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Backup overdue'
    description: 'A share\'s latest successful backup is older than twice its schedule interval (expectedIntervalMs of its backup events).'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT30M'
    windowSize: 'PT30M'
    overrideQueryTimeRange: overdueLookback
    criteria: {
      allOf: [
        {
          query: overdueQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'share', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: actionGroups }
  }
}

output backupFailedRuleId string = backupFailed.id
output backupOverdueRuleId string = backupOverdue.id
output actionGroupIds array = actionGroups
