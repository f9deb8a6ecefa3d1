// Built-in role definition ids, named once so every assignment in the templates reads by name.
// Each one is the narrowest role that lets the app do its job on that resource; the template
// grants nothing broader (no Owner, Contributor or account-key roles anywhere).

@export()
@description('Azure RBAC built-in role definition ids (GUIDs) used by the templates.')
var roles = {
  // Storage File Data Privileged Reader: read every file and directory of a share over REST with
  // OAuth, bypassing NTFS ACLs (what a backup reader needs). Source accounts only.
  storageFileDataPrivilegedReader: 'b8eda974-7b85-4f76-af95-65846b26df6d'
  // Storage File Data Privileged Contributor: read, write and delete files over REST, bypassing
  // NTFS ACLs. Only on accounts where restore-to-share is enabled.
  storageFileDataPrivilegedContributor: '69566ab7-960f-475b-8e7c-b3118f30c6bd'
  // Storage Blob Data Owner: blob data plus container management; what the Functions host needs on
  // its own storage (AzureWebJobsStorage) and the Flex deployment container.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Storage Blob Data Contributor: read, write and delete blobs (the backup repository's packs and
  // metadata).
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  // Storage Queue Data Contributor: send, receive and delete queue messages (backup requests,
  // Durable Functions work-item and control queues).
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Storage Table Data Contributor: read and write table entities (share registry, Durable
  // Functions history and instance tables).
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Monitoring Metrics Publisher: send telemetry to Application Insights with Microsoft Entra auth.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  // Cosmos DB Built-in Data Contributor (a Cosmos DB SQL role, not an Azure RBAC role): read and
  // write items and run queries; no account or key management.
  cosmosDbBuiltInDataContributor: '00000000-0000-0000-0000-000000000002'
}
