/**
 * The node index container's policy upgrade: which policies lack the queried paths, what an upgrade
 * keeps, and that an identity refused the change (403) still opens the index, with a warning.
 */
import type { CosmosClient, IndexingPolicy } from "@azure/cosmos";
import { ensureNodesContainer, NODES_INDEXING_POLICY, withQueriedPaths } from "../../../src/adapters/cosmos/container";

const OLD: IndexingPolicy = { indexingMode: "consistent", automatic: true, includedPaths: [{ path: "/parentId/?" }], excludedPaths: [{ path: "/*" }, { path: '/"_etag"/?' }] };

describe("withQueriedPaths", () => {
  test("adds /t to a policy that indexes only /parentId, keeping everything else", () => {
    expect(withQueriedPaths(OLD)).toEqual({ added: ["/t/?"], policy: { ...OLD, includedPaths: [{ path: "/parentId/?" }, { path: "/t/?" }] } });
  });

  test("leaves alone the current policy, Cosmos's default (everything indexed) and a policy without indexing", () => {
    expect(withQueriedPaths(NODES_INDEXING_POLICY)).toBeUndefined();
    expect(withQueriedPaths({ indexingMode: "consistent", automatic: true, includedPaths: [{ path: "/*" }], excludedPaths: [{ path: '/"_etag"/?' }] })).toBeUndefined();
    expect(withQueriedPaths({ indexingMode: "consistent", includedPaths: [{ path: "/parentId/?" }, { path: "/t/*" }], excludedPaths: [{ path: "/*" }] })).toBeUndefined();
    expect(withQueriedPaths({ indexingMode: "none", automatic: false })).toBeUndefined();
    expect(withQueriedPaths(undefined)).toBeUndefined();
  });

  test("a path excluded by name is taken out of the exclusions as it is added", () => {
    const policy: IndexingPolicy = { indexingMode: "consistent", includedPaths: [{ path: "/*" }], excludedPaths: [{ path: "/t/?" }, { path: "/n/?" }] };
    expect(withQueriedPaths(policy)).toEqual({ added: ["/t/?"], policy: { indexingMode: "consistent", includedPaths: [{ path: "/*" }, { path: "/t/?" }], excludedPaths: [{ path: "/n/?" }] } });
  });

  test("the most specific path decides, as in Cosmos: a wildcard exclusion under a broader inclusion hides /t", () => {
    const hidden: IndexingPolicy = { indexingMode: "consistent", includedPaths: [{ path: "/*" }], excludedPaths: [{ path: "/t/*" }] };
    expect(withQueriedPaths(hidden)?.added).toEqual(["/t/?"]);
    const shown: IndexingPolicy = { indexingMode: "consistent", includedPaths: [{ path: "/t/*" }, { path: "/parentId/?" }], excludedPaths: [{ path: "/*" }] };
    expect(withQueriedPaths(shown)).toBeUndefined();
    const neither: IndexingPolicy = { indexingMode: "consistent", includedPaths: [], excludedPaths: [{ path: "/*" }] };
    expect(withQueriedPaths(neither)?.added).toEqual(["/parentId/?", "/t/?"]);
  });
});

describe("ensureNodesContainer on an existing container with the old policy", () => {
  /** Just the calls ensureNodesContainer makes; `replace` answers as given. */
  function clientWith(replace: (body: unknown) => Promise<unknown>): { client: CosmosClient; replaced: unknown[] } {
    const replaced: unknown[] = [];
    const resource = { id: "nodes", partitionKey: { paths: ["/parentId"] }, indexingPolicy: OLD, defaultTtl: 3600, _etag: '"e1"' };
    const container = { replace: (body: unknown, options: unknown) => (replaced.push({ body, options }), replace(body)) };
    const client = { databases: { createIfNotExists: async () => ({ database: { containers: { createIfNotExists: async () => ({ container, resource }) } } }) } };
    return { client: client as unknown as CosmosClient, replaced };
  }

  test("replaces the definition with /t added and every other setting kept", async () => {
    const { client, replaced } = clientWith(async () => ({}));
    const warnings: string[] = [];
    await ensureNodesContainer(client, "db", "nodes", (m) => warnings.push(m));
    expect(replaced).toEqual([
      {
        body: { id: "nodes", partitionKey: { paths: ["/parentId"] }, defaultTtl: 3600, _etag: '"e1"', indexingPolicy: withQueriedPaths(OLD)!.policy },
        options: { accessCondition: { type: "IfMatch", condition: '"e1"' } },
      },
    ]);
    expect(warnings).toEqual([]);
  });

  test("an identity that may not change container settings (403) opens the index and is told what to redeploy", async () => {
    const { client } = clientWith(async () => Promise.reject(Object.assign(new Error("Request blocked by Auth: control plane operation"), { code: 403 })));
    const warnings: string[] = [];
    await expect(ensureNodesContainer(client, "db", "nodes", (m) => warnings.push(m))).resolves.toBeDefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/container db\/nodes does not index \/t\/\?, and this identity.*infra\/cosmos\/cosmos\.bicep/);
  });

  test("a definition changed by someone else meanwhile (412) is left to them, without a warning", async () => {
    const { client, replaced } = clientWith(async () => Promise.reject(Object.assign(new Error("precondition failed"), { code: 412 })));
    const warnings: string[] = [];
    await expect(ensureNodesContainer(client, "db", "nodes", (m) => warnings.push(m))).resolves.toBeDefined();
    expect(replaced).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  test("any other failure of the change is an error naming the container", async () => {
    const { client } = clientWith(async () => Promise.reject(Object.assign(new Error("service unavailable"), { code: 503 })));
    await expect(ensureNodesContainer(client, "db", "nodes", () => undefined)).rejects.toThrow(/opening container db\/nodes/);
  });
});
