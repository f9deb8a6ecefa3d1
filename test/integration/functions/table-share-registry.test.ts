/**
 * The Table Storage ShareRegistry on Azurite through @azure/data-tables: the conformance suite, a
 * damaged row read back as an error naming the share, settings-based construction, and SDK errors
 * translated once (unavailable backend, redacted message, SDK error as cause).
 */
import { TableClient } from "@azure/data-tables";
import { TableShareRegistry } from "../../../src/adapters/table/share-registry";
import { RegistryUnavailableError, ShareRegistryError } from "../../../src/core/ports/share-registry";
import { startTestStack, type TestStack } from "../../helpers/stack";
import { share, shareRegistryConformance } from "../../unit/registry/share-registry.conformance";

let stack: TestStack<"table">;
let tables = 0;

beforeAll(async () => {
  stack = await startTestStack({ services: ["table"] });
});

afterAll(async () => {
  await stack?.stop();
});

const client = (name: string) => TableClient.fromConnectionString(stack.settings.table, name, { allowInsecureConnection: true });

shareRegistryConformance("Azure Table Storage (Azurite)", async () => new TableShareRegistry(client(`shares${++tables}`)));

describe("TableShareRegistry specifics", () => {
  test("fromSettings reads AFB_REPOSITORY and uses the `shares` table", async () => {
    const registry = TableShareRegistry.fromSettings((name) => (name === "AFB_REPOSITORY" ? stack.productSettings.AFB_REPOSITORY : undefined));
    await registry.add(share("from-settings"));
    const row = await client("shares").getEntity("share", "from-settings");
    expect(row).toMatchObject({ v: 1, account: "https://contoso.file.core.windows.net", authMode: "managedidentity", include: '["docs/**"]', enabled: true });
    expect(registry.description).toBe("share registry (table shares)");
  });

  test("a damaged row is an error naming the share and the field, not a half-read share", async () => {
    const table = client(`shares${++tables}`);
    const registry = new TableShareRegistry(table);
    await registry.add(share("ok1"));
    await table.upsertEntity({ partitionKey: "share", rowKey: "broken", v: 1, account: "acct1", shareName: "s01", authMode: "managedidentity", schedule: "not cron", keepDaily: 1, keepWeekly: 1, keepMonthly: 1, keepYearly: 1, include: "[]", exclude: "[]", enabled: true, createdAt: "2026-03-01T10:00:00.000Z" });
    await expect(registry.get("broken")).rejects.toThrow(/share broken is stored damaged: schedule: is not a 5-field cron/);
    await expect(registry.list()).rejects.toBeInstanceOf(ShareRegistryError);
    await table.upsertEntity({ partitionKey: "share", rowKey: "future", v: 2 });
    await expect(registry.get("future")).rejects.toThrow(/record format 2/);
  });

  test("an unreachable table service is RegistryUnavailableError, redacted, with the SDK error as cause", async () => {
    const dead = stack.settings.table.replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, "TableEndpoint=http://127.0.0.1:9");
    const registry = new TableShareRegistry(TableClient.fromConnectionString(dead, "shares", { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } }));
    const err = await registry.list().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect((err as Error).cause).toBeDefined();
    expect((err as Error).message).not.toMatch(/AccountKey=[^*]/);
  });
});
