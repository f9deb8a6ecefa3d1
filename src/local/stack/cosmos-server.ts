/**
 * cosmosdb-server (an in-memory Cosmos DB NoSQL API) over TLS with the data folder's own self-signed
 * certificate. Guarantees: the endpoint is https and verifiable with `caCert`; a busy port fails with
 * an error naming it. Does NOT guarantee persistence: cosmosdb-server keeps everything in memory, so
 * databases, containers and items are gone after a restart.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:https";
import { ensureCertificate } from "./certificate";
import { listenError } from "./listen-error";
import { clientHost, urlHost } from "./hosts";

export interface CosmosServerOptions {
  readonly host: string;
  /** 0 = ephemeral. */
  readonly port: number;
  /** Folder of cert.pem + key.pem (created when missing). */
  readonly certDir: string;
}

export interface CosmosServer {
  readonly port: number;
  readonly endpoint: string;
  readonly caCert: string;
  close(): Promise<void>;
}

/** Starts cosmosdb-server; resolves once it listens. */
export async function startCosmosServer(options: CosmosServerOptions): Promise<CosmosServer> {
  const tls = await ensureCertificate(options.certDir, clientHost(options.host));
  const { createHttpsServer } = await import("@vercel/cosmosdb-server");
  const server: Server = createHttpsServer({ cert: tls.cert, key: tls.key });
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
  return {
    port,
    endpoint: `https://${urlHost(clientHost(options.host))}:${port}/`,
    caCert: tls.certPath,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDK keeps connections alive; without this close() would wait for the client to hang up.
        server.closeAllConnections();
      }),
  };
}
