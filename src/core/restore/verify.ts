/**
 * Whether a file already in the target is the one a snapshot holds: same size, and the same content
 * digest (SHA-256 over the ids of the chunks the repository's chunker cuts from its bytes), computed
 * from the target's bytes as they stream by (at most 16 MiB held). Used before skipping a file, so
 * that a rerun of an interrupted restore trusts no file it cannot prove complete.
 */
import { chunkId, contentDigest } from "../chunking/content-hash";
import { chunkStream } from "../chunking/stream-chunker";
import type { FileNode } from "../repository/model";

/** Size and digest of a byte stream, as the repository would compute them. */
export async function digestOf(bytes: AsyncIterable<Uint8Array>): Promise<{ size: number; digest: string }> {
  const ids: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunkStream(bytes)) {
    ids.push(chunkId(chunk));
    size += chunk.length;
  }
  return { size, digest: contentDigest(ids).toString("hex") };
}

/** True when `bytes` are exactly the content of `file` (the caller checks the size first, cheaply). */
export async function matchesFile(bytes: AsyncIterable<Uint8Array>, file: Pick<FileNode, "size" | "digest">): Promise<boolean> {
  const got = await digestOf(bytes);
  return got.size === file.size && got.digest === file.digest;
}
