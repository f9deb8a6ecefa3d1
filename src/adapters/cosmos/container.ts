/**
 * Creates (if missing) the database and the `nodes` container of the node index, partitioned by
 * /parentId, with an indexing policy that indexes only /parentId:
 * - listing a directory's children is a query scoped to one partition key value (served by /parentId);
 * - the cross-partition FileId lookup filters on `id` (always indexed) and a prefix of `parentId`;
 * - nothing filters or sorts on the name or the packed record, so indexing them would only make
 *   every write cost more request units.
 * Guarantees: idempotent; an existing container keeps its settings (its partition key is checked).
 */
import type { Container, CosmosClient, IndexingPolicy } from "@azure/cosmos";
import { IndexError } from "../../core/ports/node-index";
import { translateCosmosError } from "./errors";

export const NODES_CONTAINER = "nodes";
export const PARTITION_KEY_PATH = "/parentId";

export const NODES_INDEXING_POLICY: IndexingPolicy = {
  indexingMode: "consistent",
  automatic: true,
  // `t` exists on directories only (their tree id): listSealedChildren filters on it.
  includedPaths: [{ path: "/parentId/?" }, { path: "/t/?" }],
  excludedPaths: [{ path: "/*" }, { path: '/"_etag"/?' }],
};

/** The container of the node index in `database`, created with its policy when missing. */
export async function ensureNodesContainer(client: CosmosClient, database: string, containerId: string = NODES_CONTAINER): Promise<Container> {
  try {
    const { database: db } = await client.databases.createIfNotExists({ id: database });
    const { container, resource } = await db.containers.createIfNotExists({
      id: containerId,
      partitionKey: { paths: [PARTITION_KEY_PATH] },
      indexingPolicy: NODES_INDEXING_POLICY,
    });
    const paths = resource?.partitionKey?.paths;
    if (paths !== undefined && (paths.length !== 1 || paths[0] !== PARTITION_KEY_PATH)) {
      throw new IndexError(`Cosmos DB container ${database}/${containerId} exists with partition key ${paths.join(",")}; the node index needs ${PARTITION_KEY_PATH}: use another AFB_COSMOS_DATABASE`);
    }
    return container;
  } catch (err) {
    throw translateCosmosError(err, `opening container ${database}/${containerId}`);
  }
}
