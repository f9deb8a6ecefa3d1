/**
 * GET /api/operations merges the scan sub-orchestration's live counts into a backup's progress while
 * it scans, and leaves every other view as it is.
 */
import type { DurableClient } from "durable-functions";
import { withScanProgress } from "../../../src/functions/http/get-operation";

function clientWith(statuses: Record<string, unknown>): DurableClient {
  return {
    getStatus: async (id: string) => {
      if (!(id in statuses)) throw new Error("Webhook returned unexpected status: HTTP 404 response");
      return { instanceId: id, runtimeStatus: "Running", customStatus: statuses[id] };
    },
  } as unknown as DurableClient;
}

test("during the scan, the scan instance's counts replace the parent's", async () => {
  const client = clientWith({ "run-1-scan": { phase: "scanning", dirs: 12, files: 340, bytes: 9999, errors: 1, listed: 12, rounds: 3 } });
  const view = { instanceId: "backup-x", phase: "scan", progress: { phase: "scan", scanInstance: "run-1-scan", dirs: 0, files: 0, bytes: 0, errors: 0 } };
  const merged = await withScanProgress(client, view);
  expect(merged.progress).toEqual({ phase: "scan", scanInstance: "run-1-scan", dirs: 12, files: 340, bytes: 9999, errors: 1, listed: 12 });
});

test("outside the scan, or when the scan instance is unknown, the view is unchanged", async () => {
  const client = clientWith({});
  const content = { instanceId: "backup-x", phase: "content", progress: { phase: "content", files: 5 } };
  expect(await withScanProgress(client, content)).toBe(content);
  const early = { instanceId: "backup-x", phase: "scan", progress: { phase: "scan", scanInstance: "not-started-yet", files: 0 } };
  expect(await withScanProgress(client, early)).toBe(early);
  const noProgress = { instanceId: "other", phase: "completed", progress: null };
  expect(await withScanProgress(client, noProgress)).toBe(noProgress);
});
