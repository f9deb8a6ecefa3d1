/**
 * Snapshot manifests: written create-only under snapshots/<share>/<time>-<id>, listed by share and
 * time from their names alone (one list call per 5,000 snapshots, no manifest read), read back and
 * verified against the id in their name.
 * A share's head (heads/<share>) names its last written manifest, so that a backup finds its parent
 * with two reads whatever the number of snapshots. It is overwritten right after the manifest, before
 * `put` returns (so before any index update): a crash or a failure between the two leaves it on the
 * previous manifest, the one the index still describes, which is the parent the next backup needs.
 * It is a hint: a head that is missing, unreadable or names a manifest that is gone falls back to
 * the newest listed manifest, and nothing else reads it.
 */
import { createHash } from "node:crypto";
import { decodeManifest, encodeManifest } from "./codec-manifest";
import { NotFoundError, RepositoryCorruptError } from "./errors";
import { headKey, parseSnapshotKey, snapshotKey, snapshotPrefix, SNAPSHOTS_PREFIX, type SnapshotRef } from "./layout";
import type { SnapshotManifest } from "./model";
import { listAll, putIfAbsent, readAll, type ObjectStore } from "./object-store";

export class Snapshots {
  constructor(private readonly store: ObjectStore) {}

  async put(manifest: SnapshotManifest): Promise<SnapshotRef> {
    const bytes = encodeManifest(manifest);
    const id = createHash("sha256").update(bytes).digest("hex");
    const key = snapshotKey(manifest.share, manifest.time, id);
    await putIfAbsent(this.store, key, bytes);
    await this.store.put(headKey(manifest.share), Buffer.from(key, "utf8"));
    return { share: manifest.share, time: manifest.time, id, key };
  }

  /**
   * The share's last written snapshot and its manifest, by its head (two reads), else the newest
   * listed one; undefined when the share has none. A manifest that fails verification is an error,
   * whichever way it was found.
   */
  async latest(share: string): Promise<{ ref: SnapshotRef; manifest: SnapshotManifest } | undefined> {
    const head = await this.readHead(share);
    if (head !== undefined) {
      try {
        return { ref: head, manifest: await this.get(head) };
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    let last: SnapshotRef | undefined;
    for await (const ref of this.list(share)) last = ref;
    return last === undefined ? undefined : { ref: last, manifest: await this.get(last) };
  }

  private async readHead(share: string): Promise<SnapshotRef | undefined> {
    let text: string;
    try {
      text = (await readAll(this.store, headKey(share))).toString("utf8");
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    const ref = parseSnapshotKey(text);
    return ref?.share === share ? ref : undefined;
  }

  /** Snapshots of one share (or of all shares), oldest first within a share, optionally from..to (ms, inclusive). */
  list(share?: string, range: { from?: number; to?: number } = {}): AsyncGenerator<SnapshotRef> {
    return this.listUnder(share === undefined ? SNAPSHOTS_PREFIX : snapshotPrefix(share), range);
  }

  private async *listUnder(prefix: string, range: { from?: number; to?: number }): AsyncGenerator<SnapshotRef> {
    for await (const item of listAll(this.store, prefix)) {
      const ref = parseSnapshotKey(item.key);
      if (ref === undefined) continue;
      if (range.from !== undefined && ref.time < range.from) continue;
      if (range.to !== undefined && ref.time > range.to) continue;
      yield ref;
    }
  }

  async get(ref: SnapshotRef): Promise<SnapshotManifest> {
    const bytes = await readAll(this.store, ref.key);
    if (createHash("sha256").update(bytes).digest("hex") !== ref.id) throw new RepositoryCorruptError(`snapshot ${ref.key} does not match its id`);
    const manifest = decodeManifest(bytes);
    if (manifest.share !== ref.share || manifest.time !== ref.time) throw new RepositoryCorruptError(`snapshot ${ref.key} holds share ${manifest.share} at ${manifest.time}`);
    return manifest;
  }
}
