/**
 * The ShareRegistry in Azure Table Storage (@azure/data-tables): table `shares`, one partition
 * (`share`; a registry holds hundreds of shares, not millions), RowKey = share id. A share's fields
 * are flat properties (patterns as JSON text), plus `v` (record format, 1). Every read is validated
 * against ShareSchema, so a hand-edited or damaged row is an error naming its id. SDK errors are
 * translated once, here (translateError), redacted, with the SDK error as `cause`.
 * Passes the ShareRegistry conformance suite on Azurite.
 */
import { TableClient, type TableEntityResult } from "@azure/data-tables";
import type { SettingsSource } from "../../config/settings";
import { RegistryAccessError, RegistryUnavailableError, ShareExistsError, ShareNotFoundError, ShareRegistryError, type ShareRegistry } from "../../core/ports/share-registry";
import { redact } from "../../core/redact";
import { ShareSchema, describeIssues, fieldIssues, type Share } from "../../core/registry/share";
import { repositoryTableClient } from "./connect";

export const SHARES_TABLE = "shares";
const PARTITION = "share";
const FORMAT = 1;

type Row = TableEntityResult<Record<string, unknown>>;

function statusOf(err: unknown): number | undefined {
  return typeof err === "object" && err !== null ? (err as { statusCode?: number }).statusCode : undefined;
}

/** The one place SDK errors become registry errors. */
export function translateError(operation: string, id: string | undefined, err: unknown): ShareRegistryError {
  if (err instanceof ShareRegistryError) return err;
  const status = statusOf(err);
  const what = `share registry ${operation}${id === undefined ? "" : ` of ${id}`}`;
  const detail = redact(err instanceof Error ? err.message : String(err)).split("\n")[0];
  if (status === 409 && id !== undefined) return new ShareExistsError(id, { cause: err });
  if (status === 404 && id !== undefined) return new ShareNotFoundError(id, { cause: err });
  if (status === 401 || status === 403) return new RegistryAccessError(`${what} was refused (HTTP ${status}): check the app's role on the table (Storage Table Data Contributor)`, { cause: err });
  if (status === undefined || status === 408 || status === 429 || status >= 500) {
    return new RegistryUnavailableError(`${what} failed${status === undefined ? "" : ` (HTTP ${status})`}: ${detail}`, { cause: err });
  }
  return new ShareRegistryError(`${what} failed (HTTP ${status}): ${detail}`, { cause: err });
}

function toEntity(share: Share): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: PARTITION,
    rowKey: share.id,
    v: FORMAT,
    account: share.account,
    shareName: share.shareName,
    authMode: share.auth.mode,
    ...(share.auth.mode === "managedidentity" ? (share.auth.clientId === undefined ? {} : { authClientId: share.auth.clientId }) : { authSetting: share.auth.setting }),
    schedule: share.schedule,
    keepDaily: share.retention.keepDaily,
    keepWeekly: share.retention.keepWeekly,
    keepMonthly: share.retention.keepMonthly,
    keepYearly: share.retention.keepYearly,
    include: JSON.stringify(share.include),
    exclude: JSON.stringify(share.exclude),
    enabled: share.enabled,
    createdAt: share.createdAt,
    ...(share.lastScheduledRun === undefined ? {} : { lastScheduledRun: share.lastScheduledRun }),
  };
}

function fromEntity(row: Row): Share {
  const id = String(row.rowKey);
  const json = (key: string): unknown => {
    try {
      return JSON.parse(String(row[key]));
    } catch {
      return row[key];
    }
  };
  if (row.v !== FORMAT) throw new ShareRegistryError(`share ${id} is stored in record format ${JSON.stringify(row.v)}, this code reads format ${FORMAT}`);
  const auth = row.authMode === "connectionstring-setting" ? { mode: row.authMode, setting: row.authSetting } : { mode: row.authMode, ...(row.authClientId === undefined ? {} : { clientId: row.authClientId }) };
  const candidate = {
    id,
    account: row.account,
    shareName: row.shareName,
    auth,
    schedule: row.schedule,
    retention: { keepDaily: row.keepDaily, keepWeekly: row.keepWeekly, keepMonthly: row.keepMonthly, keepYearly: row.keepYearly },
    include: json("include"),
    exclude: json("exclude"),
    enabled: row.enabled,
    createdAt: row.createdAt,
    ...(row.lastScheduledRun === undefined ? {} : { lastScheduledRun: row.lastScheduledRun }),
  };
  const parsed = ShareSchema.safeParse(candidate);
  if (!parsed.success) throw new ShareRegistryError(`share ${id} is stored damaged: ${describeIssues(fieldIssues(parsed.error))}`);
  return parsed.data;
}

export class TableShareRegistry implements ShareRegistry {
  readonly description: string;
  private ready: Promise<void> | undefined;

  constructor(private readonly table: TableClient) {
    this.description = `share registry (table ${table.tableName})`;
  }

  /** The registry in the repository account the settings name (AFB_REPOSITORY or AFB_REPOSITORY__tableServiceUri). */
  static fromSettings(get: SettingsSource, tableName = SHARES_TABLE): TableShareRegistry {
    return new TableShareRegistry(repositoryTableClient(get, tableName));
  }

  async add(share: Share): Promise<void> {
    const valid = ShareSchema.safeParse(share);
    if (!valid.success) throw new ShareRegistryError(`refusing to store an invalid share: ${describeIssues(fieldIssues(valid.error))}`);
    await this.ensureTable();
    try {
      await this.table.createEntity(toEntity(valid.data));
    } catch (err) {
      throw translateError("add", share.id, err);
    }
  }

  async get(id: string): Promise<Share | undefined> {
    if (!ShareSchema.shape.id.safeParse(id).success) return undefined;
    await this.ensureTable();
    let row: Row;
    try {
      row = await this.table.getEntity<Record<string, unknown>>(PARTITION, id);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw translateError("read", id, err);
    }
    return fromEntity(row);
  }

  async list(): Promise<Share[]> {
    await this.ensureTable();
    const out: Share[] = [];
    try {
      for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) out.push(fromEntity(row));
    } catch (err) {
      throw translateError("list", undefined, err);
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async remove(id: string): Promise<boolean> {
    if (!ShareSchema.shape.id.safeParse(id).success) return false;
    await this.ensureTable();
    try {
      await this.table.deleteEntity(PARTITION, id);
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw translateError("remove", id, err);
    }
  }

  async recordScheduledRun(id: string, at: string): Promise<void> {
    if (!ShareSchema.shape.lastScheduledRun.safeParse(at).success) throw new ShareRegistryError(`lastScheduledRun must be an ISO 8601 UTC time, got ${JSON.stringify(at)}`);
    if (!ShareSchema.shape.id.safeParse(id).success) throw new ShareNotFoundError(id);
    await this.ensureTable();
    try {
      // Merge with etag "*" fails with 404 when the row is gone: a removed share is never recreated.
      await this.table.updateEntity({ partitionKey: PARTITION, rowKey: id, lastScheduledRun: at }, "Merge", { etag: "*" });
    } catch (err) {
      throw translateError("update", id, err);
    }
  }

  /** Creates the table once per process (creating an existing table is not an error). */
  private ensureTable(): Promise<void> {
    if (this.ready === undefined) {
      const creating = this.table.createTable().catch((err: unknown) => {
        if (this.ready === creating) this.ready = undefined;
        throw translateError("table creation", undefined, err);
      });
      this.ready = creating;
    }
    return this.ready;
  }
}
