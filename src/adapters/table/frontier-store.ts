/**
 * A FrontierStore in Azure Table Storage: one partition per scan, so every change is one atomic
 * entity-group transaction guarded by the ETag of the scan's `state` row (optimistic concurrency;
 * concurrent activities retry on conflict). Rows: `state` (segment counter, read cursor, pending),
 * `seg-NNNNNNNNNN` (up to 1,000 pushed ids, in push order), `push-<key>` and `claim-<key>` (what a key
 * did, for idempotency). Passes the FrontierStore conformance suite on Azurite.
 * Limits (a transaction is at most 100 rows and 4 MiB, a row 1 MiB): one push holds at most 98,000
 * ids and 1,000,000 characters, an id at most 8,192; a claim takes at most 20,000 ids and stops early
 * at 300,000 characters (a claim is "up to max"). SDK errors become FrontierStoreError once, here,
 * with redacted messages.
 */
import type { SettingsSource } from "../../config/settings";
import { repositoryTableClient } from "./connect";
import { TableClient, type TableEntity, type TableEntityResult, type TransactionAction } from "@azure/data-tables";
import { FrontierStoreError, validateFrontierArgs, type FrontierStore } from "../../core/ports/frontier-store";
import { redact } from "../../core/redact";

const SEGMENT_IDS = 1000;
const SEGMENT_CHARS = 300_000;
const MAX_SEGMENTS_PER_PUSH = 98;
const MAX_PUSH_CHARS = 1_000_000;
const MAX_ID_CHARS = 8192;
const MAX_CLAIM = 20_000;
const MAX_CLAIM_CHARS = 300_000;
const CHUNK_CHARS = 30_000;
const MAX_CONFLICT_RETRIES = 100;

interface State {
  nextSeg: number;
  cursorSeg: number;
  cursorOffset: number;
  pending: number;
}

type Row = TableEntityResult<Record<string, unknown>>;

const segKey = (n: number): string => `seg-${String(n).padStart(10, "0")}`;

function statusOf(err: unknown): number | undefined {
  return typeof err === "object" && err !== null ? (err as { statusCode?: number }).statusCode : undefined;
}

function fail(operation: string, scanId: string, err: unknown): FrontierStoreError {
  if (err instanceof FrontierStoreError) return err;
  const status = statusOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return new FrontierStoreError(redact(`frontier ${operation} of scan ${scanId} failed${status === undefined ? "" : ` (HTTP ${status})`}: ${message}`), { cause: err });
}

/** Ids as JSON chunks in properties c0, c1, ... (a string property holds at most 64 KiB). */
function encodeIds(ids: readonly string[]): Record<string, string | number> {
  const props: Record<string, string | number> = { n: ids.length };
  let chunk: string[] = [];
  let chars = 2;
  let i = 0;
  const flush = () => {
    props[`c${i++}`] = JSON.stringify(chunk);
    chunk = [];
    chars = 2;
  };
  for (const id of ids) {
    if (chars + id.length + 3 > CHUNK_CHARS && chunk.length > 0) flush();
    chunk.push(id);
    chars += id.length + 3;
  }
  if (chunk.length > 0) flush();
  return props;
}

/** Splits a push into segments of at most SEGMENT_IDS ids and SEGMENT_CHARS characters. */
function segmentsOf(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  let total = 0;
  for (const id of ids) {
    if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_CHARS) throw new FrontierStoreError(`a frontier id must be a string of 1 to ${MAX_ID_CHARS} characters`);
    total += id.length;
    if (current.length === SEGMENT_IDS || (current.length > 0 && chars + id.length > SEGMENT_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += id.length;
  }
  if (current.length > 0) out.push(current);
  if (out.length > MAX_SEGMENTS_PER_PUSH || total > MAX_PUSH_CHARS) {
    throw new FrontierStoreError(`a frontier push holds at most ${MAX_SEGMENTS_PER_PUSH * SEGMENT_IDS} ids and ${MAX_PUSH_CHARS} characters, got ${ids.length} ids and ${total} characters`);
  }
  return out;
}

function decodeIds(row: Row): string[] {
  const out: string[] = [];
  for (let i = 0; typeof row[`c${i}`] === "string"; i++) for (const id of JSON.parse(row[`c${i}`] as string) as string[]) out.push(id);
  return out;
}

/** The frontier's table in the repository account. */
export const FRONTIER_TABLE = "afbfrontier";

export class TableFrontierStore implements FrontierStore {
  constructor(private readonly table: TableClient) {}

  /** A store on `tableName` of the account behind `connectionString`; creates the table if missing. */
  static async connect(connectionString: string, tableName = FRONTIER_TABLE): Promise<TableFrontierStore> {
    return TableFrontierStore.open(TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: /^DefaultEndpointsProtocol=http;|TableEndpoint=http:/i.test(connectionString) }), tableName);
  }

  /** The store in the repository account the settings name (connection string or managed identity). */
  static async fromSettings(get: SettingsSource, tableName = FRONTIER_TABLE): Promise<TableFrontierStore> {
    return TableFrontierStore.open(repositoryTableClient(get, tableName), tableName);
  }

  private static async open(client: TableClient, tableName: string): Promise<TableFrontierStore> {
    try {
      await client.createTable();
    } catch (err) {
      throw fail("table creation", tableName, err);
    }
    return new TableFrontierStore(client);
  }

  async push(scanId: string, key: string, dirIds: readonly string[]): Promise<number> {
    validateFrontierArgs(scanId, key);
    const parts = segmentsOf(dirIds);
    const segments = parts.length;
    try {
      for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
        if ((await this.row(scanId, `push-${key}`)) !== undefined) return 0;
        const { state, etag } = await this.state(scanId);
        const next: State = { ...state, nextSeg: state.nextSeg + segments, pending: state.pending + dirIds.length };
        const actions: TransactionAction[] = [this.stateAction(scanId, next, etag)];
        for (let s = 0; s < segments; s++) {
          actions.push(["create", { partitionKey: scanId, rowKey: segKey(state.nextSeg + s), ...encodeIds(parts[s]) }]);
        }
        actions.push(["create", { partitionKey: scanId, rowKey: `push-${key}`, segments }]);
        if (await this.commit(actions)) return dirIds.length;
      }
    } catch (err) {
      throw fail("push", scanId, err);
    }
    throw new FrontierStoreError(`frontier push of scan ${scanId}: still conflicting after ${MAX_CONFLICT_RETRIES} attempts`);
  }

  async claim(scanId: string, key: string, max: number): Promise<string[]> {
    validateFrontierArgs(scanId, key, max);
    if (max > MAX_CLAIM) throw new FrontierStoreError(`a frontier claim takes at most ${MAX_CLAIM} ids, got max ${max}`);
    try {
      for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
        const before = await this.row(scanId, `claim-${key}`);
        if (before !== undefined) return decodeIds(before);
        const { state, etag } = await this.state(scanId);
        const taken: string[] = [];
        let chars = 0;
        let seg = state.cursorSeg;
        let offset = state.cursorOffset;
        let full = false;
        while (!full && taken.length < max && seg < state.nextSeg) {
          const row = await this.row(scanId, segKey(seg));
          if (row === undefined) throw new FrontierStoreError(`frontier of scan ${scanId} lost segment ${seg}`);
          const ids = decodeIds(row);
          while (offset < ids.length && taken.length < max) {
            if (taken.length > 0 && chars + ids[offset].length > MAX_CLAIM_CHARS) {
              full = true;
              break;
            }
            chars += ids[offset].length;
            taken.push(ids[offset++]);
          }
          if (offset >= ids.length) {
            seg++;
            offset = 0;
          }
        }
        const next: State = { ...state, cursorSeg: seg, cursorOffset: offset, pending: state.pending - taken.length };
        const actions: TransactionAction[] = [this.stateAction(scanId, next, etag), ["create", { partitionKey: scanId, rowKey: `claim-${key}`, ...encodeIds(taken) }]];
        if (await this.commit(actions)) return taken;
      }
    } catch (err) {
      throw fail("claim", scanId, err);
    }
    throw new FrontierStoreError(`frontier claim of scan ${scanId}: still conflicting after ${MAX_CONFLICT_RETRIES} attempts`);
  }

  async pending(scanId: string): Promise<number> {
    try {
      return (await this.state(scanId)).state.pending;
    } catch (err) {
      throw fail("read", scanId, err);
    }
  }

  async clear(scanId: string): Promise<void> {
    validateFrontierArgs(scanId, "clear");
    try {
      const keys: string[] = [];
      const rows = this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${scanId.replace(/'/g, "''")}'`, select: ["RowKey"] } });
      for await (const row of rows) keys.push(String(row.rowKey));
      for (let i = 0; i < keys.length; i += 100) {
        await this.table.submitTransaction(keys.slice(i, i + 100).map((rowKey): TransactionAction => ["delete", { partitionKey: scanId, rowKey }]));
      }
    } catch (err) {
      throw fail("clear", scanId, err);
    }
  }

  private async row(scanId: string, rowKey: string): Promise<Row | undefined> {
    try {
      return await this.table.getEntity<Record<string, unknown>>(scanId, rowKey);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private async state(scanId: string): Promise<{ state: State; etag: string | undefined }> {
    const row = await this.row(scanId, "state");
    if (row === undefined) return { state: { nextSeg: 0, cursorSeg: 0, cursorOffset: 0, pending: 0 }, etag: undefined };
    const num = (k: string) => Number(row[k]);
    return { state: { nextSeg: num("nextSeg"), cursorSeg: num("cursorSeg"), cursorOffset: num("cursorOffset"), pending: num("pending") }, etag: row.etag };
  }

  private stateAction(scanId: string, state: State, etag: string | undefined): TransactionAction {
    const entity: TableEntity<Record<string, unknown>> = { partitionKey: scanId, rowKey: "state", nextSeg: state.nextSeg, cursorSeg: state.cursorSeg, cursorOffset: state.cursorOffset, pending: state.pending };
    return etag === undefined ? ["create", entity] : ["update", entity, "Replace", { etag }];
  }

  /** Submits an atomic transaction; false on a conflict (another writer won: the caller re-reads). */
  private async commit(actions: TransactionAction[]): Promise<boolean> {
    try {
      await this.table.submitTransaction(actions);
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 409 || status === 412) return false;
      throw err;
    }
  }
}
