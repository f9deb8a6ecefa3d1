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
import type { Container, ContainerDefinition, CosmosClient, IndexingPolicy, Resource } from "@azure/cosmos";
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

/** How specifically `pattern` (an indexing-policy path) names `path`: -1 if it does not cover it. */
function specificity(pattern: string, path: string): number {
  if (pattern === path) return Number.MAX_SAFE_INTEGER;
  return pattern.endsWith("/*") && path.startsWith(pattern.slice(0, -1)) ? pattern.length : -1;
}

/** Whether `policy` indexes `path`: as Cosmos decides, the most specific included or excluded path that covers it wins. */
function indexes(policy: IndexingPolicy, path: string): boolean {
  const best = (paths: Array<{ path?: string }> | undefined) => Math.max(-1, ...(paths ?? []).map((p) => specificity(p.path ?? "", path)));
  const included = best(policy.includedPaths);
  return included >= 0 && included > best(policy.excludedPaths);
}

/** `policy` with every queried path it lacks included (and no longer excluded by name), and those paths; undefined if it lacks none. */
export function withQueriedPaths(policy: IndexingPolicy | undefined): { policy: IndexingPolicy; added: string[] } | undefined {
  if (policy === undefined || policy.indexingMode === "none") return undefined;
  const missing = QUERIED_PATHS.filter((p) => !indexes(policy, p));
  if (missing.length === 0) return undefined;
  return {
    added: missing,
    policy: {
      ...policy,
      includedPaths: [...(policy.includedPaths ?? []).filter((i) => !missing.includes(i.path)), ...missing.map((path) => ({ path }))],
      excludedPaths: (policy.excludedPaths ?? []).filter((e) => !missing.includes(e.path)),
    },
  };
}

/** Adds the queried paths to an existing container's policy (see the module comment). */
async function upgradePolicy(container: Container, resource: ContainerDefinition & Resource, name: string, warn: (message: string) => void): Promise<void> {
  const upgrade = withQueriedPaths(resource.indexingPolicy);
  if (upgrade === undefined) return;
  try {
    // Only over the definition just read: a change someone made meanwhile is not overwritten (412).
    await container.replace({ ...resource, id: resource.id, indexingPolicy: upgrade.policy }, { accessCondition: { type: "IfMatch", condition: resource._etag } });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 412) return; // changed meanwhile: the next open looks again
    if (code !== 403) throw err;
    warn(`Cosmos DB container ${name} does not index ${upgrade.added.join(" and ")}, and this identity may not change its settings: an unchanged directory's subdirectories are read by scanning its partition. Redeploy infra/cosmos/cosmos.bicep, or add the path to the container's indexing policy.`);
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
