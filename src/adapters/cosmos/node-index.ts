/**
 * The NodeIndex on Cosmos DB (NoSQL API): one compact document per node (node-document.ts) in the
 * `nodes` container partitioned by parentId = `<shareId>:<parent FileId>`.
 * - listChildren: one single-partition query, streamed page by page, without the SDK's query-plan
 *   request (no-query-plan.ts); listSealedChildren the same, filtered to the documents with a tree id
 *   (directories only).
 * - get: a point read (the parent is needed: it is the partition key).
 * - hasShare: a cross-partition TOP 1 on the parentId prefix, once per scan when the root is unknown.
 * - findByFileId: the other cross-partition query (id = FileId, parentId prefix = share); the scanner
 *   does not need it (moves are matched in memory from the two sightings), it serves repair tools.
 * - write: bulk requests (bulk-writer.ts); a delete of a missing item counts as done.
 * Throttling (429) is retried by the SDK for single requests and by bulk-writer.ts per bulk operation;
 * errors are translated once, in errors.ts.
 */
import type { Container, CosmosClient, OperationInput } from "@azure/cosmos";
import { assertNodeRecord, assertShareId, type IndexOp, type NodeIndex, type NodeKey, type NodeRecord, type WriteResult } from "../../core/ports/node-index";
import { ensureNodesContainer, NODES_CONTAINER } from "./container";
import { statusOf, translateCosmosError } from "./errors";
import { bulkWrite, type BulkRetryOptions } from "./bulk-writer";
import { withoutQueryPlan } from "./no-query-plan";
import { encodeFileId, fromDocument, partitionOf, toDocument, type NodeDocument } from "./node-document";

const PROJECTION = "SELECT c.id, c.parentId, c.n, c.v, c.t, c.l FROM c";

export interface CosmosNodeIndexOptions {
  readonly client: CosmosClient;
  readonly database: string;
  readonly container?: string;
  /** Documents per page of a children listing (default 5000, ~0.5 MB of compact documents). */
  readonly pageSize?: number;
  /** Retries of throttled bulk operations. */
  readonly retry?: BulkRetryOptions;
}

export class CosmosNodeIndex implements NodeIndex {
  readonly description: string;

  private constructor(
    private readonly container: Container,
    database: string,
    private readonly pageSize: number,
    private readonly retry: BulkRetryOptions,
  ) {
    this.description = `Cosmos DB node index ${database}/${container.id}`;
  }

  /** Opens the index, creating its database and container when missing. */
  static async open(options: CosmosNodeIndexOptions): Promise<CosmosNodeIndex> {
    const container = await ensureNodesContainer(options.client, options.database, options.container ?? NODES_CONTAINER);
    return new CosmosNodeIndex(container, options.database, options.pageSize ?? 5000, options.retry ?? {});
  }

  listChildren(shareId: string, parentFileId: string): AsyncIterable<NodeRecord> {
    return this.queryPartition(shareId, parentFileId, "", "listing the children of");
  }

  listSealedChildren(shareId: string, parentFileId: string): AsyncIterable<NodeRecord> {
    // Only directories carry `t`: the partition's directories with a tree id, without its files.
    return this.queryPartition(shareId, parentFileId, " AND IS_DEFINED(c.t)", "listing the sealed child directories of");
  }

  private async *queryPartition(shareId: string, parentFileId: string, filter: string, doing: string): AsyncIterable<NodeRecord> {
    assertShareId(shareId);
    const pk = partitionOf(shareId, parentFileId);
    // The filter repeats the partition key: Cosmos serves it from the /parentId index, and
    // cosmosdb-server ignores the partitionKey option of queries without it.
    const query = { query: `${PROJECTION} WHERE c.parentId = @pk${filter}`, parameters: [{ name: "@pk", value: pk }] };
    // One request per page: the SDK's query-plan request is not needed within one partition.
    const iterator = withoutQueryPlan(this.container.items.query<NodeDocument>(query, { partitionKey: pk, maxItemCount: this.pageSize }));
    while (true) {
      let page;
      try {
        if (!iterator.hasMoreResults()) return;
        page = await iterator.fetchNext();
      } catch (err) {
        throw translateCosmosError(err, `${doing} ${pk}`);
      }
      for (const doc of page.resources) yield fromDocument(doc);
      if (page.continuationToken === undefined && !iterator.hasMoreResults()) return;
    }
  }

  async get(shareId: string, key: NodeKey): Promise<NodeRecord | undefined> {
    assertShareId(shareId);
    const pk = partitionOf(shareId, key.parentFileId);
    try {
      const { resource } = await this.container.item(encodeFileId(key.fileId), pk).read<NodeDocument>();
      return resource === undefined ? undefined : fromDocument(resource);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw translateCosmosError(err, `reading node ${key.fileId} in ${pk}`);
    }
  }

  async findByFileId(shareId: string, fileId: string): Promise<NodeRecord[]> {
    assertShareId(shareId);
    const query = {
      query: `${PROJECTION} WHERE c.id = @id AND STARTSWITH(c.parentId, @share)`,
      parameters: [
        { name: "@id", value: encodeFileId(fileId) },
        { name: "@share", value: `${shareId}:` },
      ],
    };
    try {
      const { resources } = await this.container.items.query<NodeDocument>(query).fetchAll();
      return resources.map(fromDocument);
    } catch (err) {
      throw translateCosmosError(err, `looking up FileId ${fileId} across the share ${shareId}`);
    }
  }

  async hasShare(shareId: string): Promise<boolean> {
    assertShareId(shareId);
    const query = { query: "SELECT TOP 1 VALUE c.id FROM c WHERE STARTSWITH(c.parentId, @share)", parameters: [{ name: "@share", value: `${shareId}:` }] };
    try {
      const { resources } = await this.container.items.query<string>(query, { maxItemCount: 1 }).fetchNext();
      return resources.length > 0;
    } catch (err) {
      throw translateCosmosError(err, `checking whether share ${shareId} is indexed`);
    }
  }

  async write(shareId: string, ops: readonly IndexOp[]): Promise<WriteResult> {
    assertShareId(shareId);
    for (const op of ops) if (op.op === "upsert") assertNodeRecord(op.node);
    const inputs: OperationInput[] = ops.map((op) =>
      op.op === "upsert"
        ? { operationType: "Upsert", partitionKey: partitionOf(shareId, op.node.parentFileId), resourceBody: toDocument(shareId, op.node) as unknown as Record<string, string> }
        : { operationType: "Delete", id: encodeFileId(op.fileId), partitionKey: partitionOf(shareId, op.parentFileId) },
    );
    const statuses = await bulkWrite(this.container, inputs, this.retry);
    let upserts = 0;
    let deletes = 0;
    statuses.forEach((status, k) => {
      const op = ops[k];
      const ok = (status >= 200 && status < 300) || (op.op === "delete" && status === 404);
      if (!ok) {
        const what = op.op === "upsert" ? `upserting ${JSON.stringify(op.node.name)} (FileId ${op.node.fileId})` : `deleting FileId ${op.fileId}`;
        throw translateCosmosError({ statusCode: status, message: `the bulk operation ended with status ${status}` }, what);
      }
      if (op.op === "upsert") upserts++;
      else deletes++;
    });
    return { upserts, deletes };
  }
}
