/**
 * Smoke test of the local stack: each server answers the real Azure SDK through the settings the stack
 * hands out, and the Cosmos endpoint's TLS certificate verifies (and fails without the stack's CA).
 * The test helper starts only the services asked for and passes faults on to the Files emulator.
 */
import { CosmosClient } from "@azure/cosmos";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { ShareServiceClient } from "@azure/storage-file-share";
import { QueueServiceClient } from "@azure/storage-queue";
import { startTestStack, testCosmosClient, type TestStack } from "../../helpers/stack";

const retryOptions = { maxTries: 1 };
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

test("Azurite blob stores and returns a blob", async () => {
  const container = BlobServiceClient.fromConnectionString(stack.settings.blob, { retryOptions }).getContainerClient("smoke");
  await container.create();
  await container.getBlockBlobClient("a/b.txt").upload("hello", 5);
  const body = await container.getBlobClient("a/b.txt").downloadToBuffer();
  expect(body.toString()).toBe("hello");
});

test("Azurite queue delivers a message", async () => {
  const queue = QueueServiceClient.fromConnectionString(stack.settings.queue, { retryOptions }).getQueueClient("smoke");
  await queue.create();
  await queue.sendMessage("ping");
  const { receivedMessageItems } = await queue.receiveMessages();
  expect(receivedMessageItems.map((m) => m.messageText)).toEqual(["ping"]);
});

test("Azurite table stores and reads an entity", async () => {
  const table = TableClient.fromConnectionString(stack.settings.table, "smoke", { allowInsecureConnection: true });
  await table.createTable();
  await table.createEntity({ partitionKey: "p", rowKey: "r", size: 42 });
  const entity = await table.getEntity<{ size: number }>("p", "r");
  expect(entity.size).toBe(42);
});

test("the product's AFB_REPOSITORY string reaches blob, queue and table", async () => {
  const repo = stack.productSettings.AFB_REPOSITORY;
  await BlobServiceClient.fromConnectionString(repo, { retryOptions }).getContainerClient("repo").create();
  await QueueServiceClient.fromConnectionString(repo, { retryOptions }).getQueueClient("repo").create();
  await TableClient.fromConnectionString(repo, "repo", { allowInsecureConnection: true }).createTable();
  const names: string[] = [];
  for await (const c of BlobServiceClient.fromConnectionString(repo).listContainers()) names.push(c.name);
  expect(names).toContain("repo");
});

test("cosmosdb-server creates, reads and queries items with TLS verification on", async () => {
  const client = testCosmosClient(stack);
  try {
    const { database } = await client.databases.createIfNotExists({ id: "smoke" });
    const { container } = await database.containers.createIfNotExists({ id: "nodes", partitionKey: { paths: ["/share"] } });
    await container.items.create({ id: "1", share: "s1", size: 10 });
    await container.items.create({ id: "2", share: "s1", size: 20 });
    const { resource } = await container.item("2", "s1").read<{ size: number }>();
    expect(resource?.size).toBe(20);
    const { resources } = await container.items
      .query<{ id: string }>({ query: "SELECT c.id FROM c WHERE c.size > @min", parameters: [{ name: "@min", value: 15 }] })
      .fetchAll();
    expect(resources.map((r) => r.id)).toEqual(["2"]);
  } finally {
    client.dispose();
  }
});

test("a Cosmos client that does not trust the stack's certificate is refused", async () => {
  const client = new CosmosClient({ endpoint: stack.settings.cosmos.endpoint, key: stack.settings.cosmos.key, connectionPolicy: { retryOptions: { maxRetryAttemptCount: 0, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 1 } } });
  try {
    await expect(client.getDatabaseAccount()).rejects.toThrow(/self[- ]signed|certificate/i);
  } finally {
    client.dispose();
  }
});

test("the Files emulator creates a share and a file and reads it back", async () => {
  const share = ShareServiceClient.fromConnectionString(stack.settings.files, { retryOptions }).getShareClient("smoke");
  await share.create();
  const dir = share.getDirectoryClient("docs");
  await dir.create();
  const file = dir.getFileClient("note.txt");
  const body = Buffer.from("hello from the share");
  await file.create(body.length);
  await file.uploadRange(body, 0, body.length);
  expect((await file.downloadToBuffer()).toString()).toBe("hello from the share");
  expect(stack.productSettings.AFB_FILES).toBe(stack.settings.files);
});

test("startTestStack starts only the services asked for and hands faults to the Files emulator", async () => {
  const small = await startTestStack({ services: ["files"], faults: { serverBusyRate: 1, seed: 1 } });
  try {
    expect(Object.keys(small.settings)).toEqual(["files"]);
    expect(Object.keys(small.productSettings)).toEqual(["AFB_FILES"]);
    const share = ShareServiceClient.fromConnectionString(small.settings.files, { retryOptions }).getShareClient("busy");
    await expect(share.create()).rejects.toMatchObject({ statusCode: 503 });
    small.files?.setFaults({});
    await share.create();
  } finally {
    await small.stop();
  }
});

test("asking for faults without the Files emulator is refused", async () => {
  await expect(startTestStack({ services: ["blob"], faults: { serverBusyRate: 1 } })).rejects.toThrow(/faults apply to the Files emulator/);
});
