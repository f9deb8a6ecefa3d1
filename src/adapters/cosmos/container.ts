/**
 * Creates (if missing) the database and the `nodes` container of the node index, partitioned by
 * /parentId, with an indexing policy that indexes only /parentId:
 * - listing a directory's children is a query scoped to one partition key value (served by /parentId);
 * - the cross-partition FileId lookup filters on `id` (always indexed) and a prefix of `parentId`;
 * - nothing filters or sorts on the name or the packed record, so indexing them would only make
 *   every write cost more request units.
 * Guarantees: idempotent; an existing container keeps its settings (its partition key is checked),
 * except that a container made before the node index queried /t (an older afb, or an older Bicep
 * deployment) gets /t added to its indexing policy. Adding an index changes no query's results while
 * Cosmos builds it, only what the sealed-children query costs. An identity that may not change
 * container settings (data-plane RBAC) leaves the policy as it is, with a warning that names the
 * template to redeploy.
 */
import type { Container, ContainerDefinition, CosmosClient, IndexingPolicy } from "@azure/cosmos";
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

/** The paths the node index's queries filter on (beside `id`, which Cosmos always indexes). */
const QUERIED_PATHS = ["/parentId/?", "/t/?"];

/** Whether `policy` indexes `path`: an included path covers it (itself, or a wildcard above it) and no excluded path names it. */
function indexes(policy: IndexingPolicy, path: string): boolean {
  const covers = (p: string) => p === path || (p.endsWith("/*") && path.startsWith(p.slice(0, -1)));
  return (policy.includedPaths ?? []).some((i) => covers(i.path)) && !(policy.excludedPaths ?? []).some((e) => e.path === path);
}

/** `policy` with every queried path it lacks included (and no longer excluded by name), or undefined if it lacks none. */
export function withQueriedPaths(policy: IndexingPolicy | undefined): IndexingPolicy | undefined {
  if (policy === undefined || policy.indexingMode === "none") return undefined;
  const missing = QUERIED_PATHS.filter((p) => !indexes(policy, p));
  if (missing.length === 0) return undefined;
  return {
    ...policy,
    includedPaths: [...(policy.includedPaths ?? []), ...missing.map((path) => ({ path }))],
    excludedPaths: (policy.excludedPaths ?? []).filter((e) => !missing.includes(e.path)),
  };
}

/** Adds the queried paths to an existing container's policy (see the module comment). */
async function upgradePolicy(container: Container, resource: ContainerDefinition, name: string, warn: (message: string) => void): Promise<void> {
  const upgraded = withQueriedPaths(resource.indexingPolicy);
  if (upgraded === undefined) return;
  try {
    await container.replace({ ...resource, id: resource.id!, indexingPolicy: upgraded });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 403) throw err;
    warn(`Cosmos DB container ${name} does not index ${QUERIED_PATHS.join(" and ")}, and this identity may not change its settings: an unchanged directory's subdirectories are read by scanning its partition. Redeploy infra/cosmos/cosmos.bicep, or add the paths to the container's indexing policy.`);
  }
}

/**
 * The container of the node index in `database`, created with its policy when missing, its policy
 * upgraded when it predates a query (see the module comment); `warn` (default console.warn) hears
 * when that upgrade is not allowed.
 */
export async function ensureNodesContainer(
  client: CosmosClient,
  database: string,
  containerId: string = NODES_CONTAINER,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<Container> {
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
    if (resource !== undefined) await upgradePolicy(container, resource, `${database}/${containerId}`, warn);
    return container;
  } catch (err) {
    throw translateCosmosError(err, `opening container ${database}/${containerId}`);
  }
}
