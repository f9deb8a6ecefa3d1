/**
 * Snapshot manifests: written create-only under snapshots/<share>/<time>-<id>, listed by share and
 * time from their names alone (one list call per 5,000 snapshots, no manifest read), read back and
 * verified against the id in their name.
 */
import { createHash } from "node:crypto";
import { decodeManifest, encodeManifest } from "./codec-manifest";
import { RepositoryCorruptError } from "./errors";
import { parseSnapshotKey, snapshotKey, snapshotPrefix, SNAPSHOTS_PREFIX, type SnapshotRef } from "./layout";
import type { SnapshotManifest } from "./model";
import { listAll, putIfAbsent, readAll, type ObjectStore } from "./object-store";

export class Snapshots {
  constructor(private readonly store: ObjectStore) {}

  async put(manifest: SnapshotManifest): Promise<SnapshotRef> {
    const bytes = encodeManifest(manifest);
    const id = createHash("sha256").update(bytes).digest("hex");
    const key = snapshotKey(manifest.share, manifest.time, id);
    await putIfAbsent(this.store, key, bytes);
    return { share: manifest.share, time: manifest.time, id, key };
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
