/**
 * cosmosdb-server (an in-memory Cosmos DB NoSQL API) over TLS with the data folder's own self-signed
 * certificate. Guarantees: the endpoint is https and verifiable with `caCert`; a busy port fails with
 * an error naming it. cosmosdb-server itself keeps everything in memory; with `persist`, a clean stop
 * saves a snapshot that the next start loads (cosmos-snapshot.ts), and after a crash the account
 * starts empty.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:https";
import { ensureCertificate } from "./certificate";
import { listenError } from "./listen-error";
import { installPartitionQuery } from "./cosmos-partition-query";
import { clientHost, urlHost } from "./hosts";
import { DEV_COSMOS_KEY } from "./connection-strings";
import { restoreCosmosSnapshot, saveCosmosSnapshot, SNAPSHOT_FILE } from "./cosmos-snapshot";

export interface CosmosServerOptions {
  readonly host: string;
  /** 0 = ephemeral. */
  readonly port: number;
  /** DIR/cosmos: cert.pem + key.pem (created when missing) and the snapshot. */
  readonly dir: string;
  /** Save the account's contents on stop and load them on start. */
  readonly persist: boolean;
}

export interface CosmosServer {
  readonly port: number;
  readonly endpoint: string;
  readonly key: string;
  readonly caCert: string;
  close(): Promise<void>;
}

/** Starts cosmosdb-server; resolves once it listens. */
export async function startCosmosServer(options: CosmosServerOptions): Promise<CosmosServer> {
  const tls = await ensureCertificate(options.dir, clientHost(options.host));
  const { createHttpsServer } = await import("@vercel/cosmosdb-server");
  installPartitionQuery((await import("@vercel/cosmosdb-server/lib/account/items")).default);
  // keepAlive: cosmosdb-server otherwise answers "Connection: close", and a TLS handshake per request
  // makes every Cosmos call several times slower.
  const server: Server = createHttpsServer({ cert: tls.cert, key: tls.key, keepAlive: true });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    throw listenError(err, "cosmosdb-server (Cosmos DB)", options.host, options.port);
  }
  const port = (server.address() as AddressInfo).port;
  const access = { endpoint: `https://${urlHost(clientHost(options.host))}:${port}/`, key: DEV_COSMOS_KEY, caCert: tls.certPath };
  const closeServer = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // The SDK keeps connections alive; without this close() would wait for the client to hang up.
      server.closeAllConnections();
    });
  if (options.persist) {
    try {
      await restoreCosmosSnapshot(access, options.dir);
    } catch (err) {
      await closeServer();
      throw new Error(
        `cannot load the Cosmos snapshot ${options.dir}/${SNAPSHOT_FILE} (${(err as Error).message}); delete that file to start with an empty Cosmos account`,
        { cause: err },
      );
    }
  }
  return {
    port,
    ...access,
    close: async () => {
      try {
        if (options.persist) await saveCosmosSnapshot(access, options.dir);
      } finally {
        await closeServer();
      }
    },
  };
}
