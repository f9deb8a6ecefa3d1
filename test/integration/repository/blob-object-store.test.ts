import { BlobServiceClient } from "@azure/storage-blob";
import { blobObjectStore, repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import { translateBlobError } from "../../../src/adapters/blob/blob-errors";
import { objectStoreConformance } from "../../unit/repository/object-store.conformance";
import { startAzuriteBlob, type BlobFixture } from "./azurite";

let azurite: BlobFixture | undefined;
async function fixture(): Promise<BlobFixture> {
  azurite ??= await startAzuriteBlob();
  return azurite;
}
afterAll(async () => azurite?.stop());

objectStoreConformance("blob (Azurite)", async () => ({ store: await (await fixture()).newStore("conformance"), dispose: async () => undefined }));

describe("BlobObjectStore specifics", () => {
  it("reports a missing container as ContainerNotFound, not as a missing blob", async () => {
    const f = await fixture();
    const settings: Record<string, string> = { AFB_REPOSITORY: f.connectionString, AFB_REPOSITORY_CONTAINER: "never-created" };
    const store = blobObjectStore(repositoryConnectionFromSettings((n) => settings[n]), { retryOptions: { maxTries: 1 } });
    await expect(store.put("k", Buffer.from("x"))).rejects.toMatchObject({ code: "ContainerNotFound" });
    await expect(store.get("k")).rejects.toThrow(/ContainerNotFound/);
  });

  it("keeps the account key out of every error message", async () => {
    const f = await fixture();
    const bad = f.connectionString.replace(/AccountKey=[^;]+/, "AccountKey=" + Buffer.from("wrong-key-wrong-key-wrong-key").toString("base64"));
    const settings: Record<string, string> = { AFB_REPOSITORY: bad, AFB_REPOSITORY_CONTAINER: "conformance" };
    const store = blobObjectStore(repositoryConnectionFromSettings((n) => settings[n]), { retryOptions: { maxTries: 1 } });
    const err = await store.put("k", Buffer.from("x")).catch((e: Error) => e);
    expect(err).toMatchObject({ code: "Unauthorized" });
    expect(String((err as Error).message)).not.toContain("wrong-key");
    expect(String((err as Error).message)).not.toContain(bad.match(/AccountKey=([^;]+)/)![1]);
  });

  it("translates a refused connection into a retryable Unavailable error", async () => {
    const client = BlobServiceClient.fromConnectionString(
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;",
      { retryOptions: { maxTries: 1 } },
    );
    const err = await client.getContainerClient("c").getBlobClient("k").download().catch((e: unknown) => translateBlobError(e, "get", "k"));
    expect(err).toMatchObject({ code: "Unavailable", retryable: true });
  });
});

describe("repository settings", () => {
  it("names the missing or malformed setting without echoing secrets", () => {
    expect(() => repositoryConnectionFromSettings(() => undefined)).toThrow(/AFB_REPOSITORY or AFB_REPOSITORY__blobServiceUri/);
    const s: Record<string, string> = { AFB_REPOSITORY__blobServiceUri: "https://acct.blob.core.windows.net", AFB_REPOSITORY__credential: "password" };
    expect(() => repositoryConnectionFromSettings((n) => s[n])).toThrow(/AFB_REPOSITORY__credential must be 'managedidentity'/);
    const c: Record<string, string> = { AFB_REPOSITORY: "x", AFB_REPOSITORY_CONTAINER: "Bad_Name" };
    expect(() => repositoryConnectionFromSettings((n) => c[n])).toThrow(/AFB_REPOSITORY_CONTAINER/);
    const mi: Record<string, string> = { AFB_REPOSITORY__blobServiceUri: "https://acct.blob.core.windows.net", AFB_REPOSITORY__credential: "managedidentity", AFB_REPOSITORY__clientId: "00000000-0000-0000-0000-000000000001" };
    expect(repositoryConnectionFromSettings((n) => mi[n])).toMatchObject({ kind: "identity", container: "afb-repository" });
    expect(() => blobObjectStore({ kind: "connectionString", connectionString: "AccountKey=not-a-key;garbage", container: "abc" })).toThrow("AFB_REPOSITORY is not a valid blob connection string");
  });
});
