/**
 * The `scanFrontier` activity: the scan orchestrations' only access to the FrontierStore, which keeps
 * the directories still to list outside the orchestration history. Thin: validates the request and
 * calls the store; idempotent per key because the store is. Registration is explicit, with the store
 * the app (or a test) built.
 */
import * as df from "durable-functions";
import type { FrontierStore } from "../../core/ports/frontier-store";
import { SCAN_FRONTIER_ACTIVITY, type FrontierRequest, type FrontierResponse } from "../../core/orchestration/scan-tree-contract";

export function frontierActivity(store: FrontierStore): (req: FrontierRequest) => Promise<FrontierResponse> {
  return async (req) => {
    if (req === null || typeof req !== "object") throw new Error("scanFrontier needs a request object");
    if (req.op === "push") {
      if (!Array.isArray(req.dirIds)) throw new Error("scanFrontier push needs dirIds (an array of directory ids)");
      return { pushed: await store.push(req.scanId, req.key, req.dirIds) };
    }
    if (req.op === "claim") return { dirIds: await store.claim(req.scanId, req.key, req.max) };
    throw new Error(`scanFrontier: unknown op ${JSON.stringify((req as { op?: unknown }).op)} (push or claim)`);
  };
}

/**
 * Registers the activity. `store` may be a factory (e.g. `() => TableFrontierStore.connect(...)`):
 * registration is synchronous at app start, the store is then built on the first call, once.
 */
export function registerScanFrontierActivity(store: FrontierStore | (() => Promise<FrontierStore>), name = SCAN_FRONTIER_ACTIVITY): void {
  let ready: Promise<(req: FrontierRequest) => Promise<FrontierResponse>> | undefined;
  const resolve = () => {
    if (ready === undefined) {
      const building = (typeof store === "function" ? store() : Promise.resolve(store)).then(frontierActivity);
      ready = building;
      // A store that failed to build is built again on the next call, not cached broken.
      building.catch(() => {
        if (ready === building) ready = undefined;
      });
    }
    return ready;
  };
  df.app.activity(name, { handler: async (req: FrontierRequest) => (await resolve())(req) });
}
