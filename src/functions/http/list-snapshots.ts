/**
 * `GET /api/shares/{id}/snapshots[?limit=N]`: the share's snapshots, newest first: id, time, the Azure
 * Files share snapshot it was read from, and a summary of its stats. `limit` defaults to 100, at most
 * 1000 (400 otherwise). 404 for an unknown share. Listing reads blob names only (one call per 5,000
 * snapshots); a manifest is read for each snapshot returned, a few at a time.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { ShareNotFoundError } from "../../core/ports/share-registry";
import type { SnapshotRef } from "../../core/repository/layout";
import type { SnapshotManifest } from "../../core/repository/model";
import { JobPool } from "../../core/restore/pool";
import type { AppServices } from "../services";
import { badRequest, failure, json, notFound, shareIdParam } from "./responses";

export const DEFAULT_SNAPSHOT_LIMIT = 100;
export const MAX_SNAPSHOT_LIMIT = 1000;
const MANIFEST_READS = 8;

/** The `limit` query parameter, or the reason it is refused. */
export function snapshotLimit(raw: string | null): { ok: true; limit: number } | { ok: false; reason: string } {
  if (raw === null || raw === "") return { ok: true, limit: DEFAULT_SNAPSHOT_LIMIT };
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_SNAPSHOT_LIMIT) return { ok: false, reason: `must be a whole number from 1 to ${MAX_SNAPSHOT_LIMIT}` };
  return { ok: true, limit: n };
}

export function snapshotView(ref: SnapshotRef, m: SnapshotManifest): Record<string, unknown> {
  const s = m.stats;
  return {
    id: ref.id,
    time: new Date(ref.time).toISOString(),
    shareSnapshot: m.shareSnapshot ?? null,
    stats: { files: s.files, directories: s.directories, bytes: s.bytes, filesNew: s.filesNew, filesChanged: s.filesChanged, filesRemoved: s.filesRemoved, bytesAdded: s.bytesAdded },
    unstableFiles: m.unstableFiles.length,
  };
}

export function registerListSnapshotsRoute(services: (() => AppServices) | undefined): void {
  if (services === undefined) return;
  app.http("listSnapshots", {
    route: "shares/{id}/snapshots",
    methods: ["GET"],
    authLevel: "function",
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const id = shareIdParam(request);
      if (!id.ok) return id.response;
      const limit = snapshotLimit(request.query.get("limit"));
      if (!limit.ok) return badRequest([{ field: "limit", reason: limit.reason }]);
      try {
        const s = services();
        const opened = await s.openShare(id.id);
        const repository = await s.repository();
        const newest: SnapshotRef[] = [];
        for await (const ref of repository.listSnapshots(opened.key)) {
          newest.push(ref);
          if (newest.length > limit.limit) newest.shift();
        }
        newest.reverse();
        const views: Record<string, unknown>[] = new Array(newest.length);
        await JobPool.forEach(newest.keys(), MANIFEST_READS, async (i) => {
          views[i] = snapshotView(newest[i], await repository.getSnapshot(newest[i]));
        });
        return json(200, { shareId: id.id, shareKey: opened.key, snapshots: views });
      } catch (err) {
        if (err instanceof ShareNotFoundError) return notFound(`no share with id ${id.id} is registered`);
        return failure(context, err);
      }
    },
  });
}
