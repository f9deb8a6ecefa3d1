/**
 * The ShareRegistry conformance suite: every adapter (memory here, Table Storage on Azurite in
 * test/integration/functions) runs it. `make` returns a fresh, empty registry.
 */
import { ShareExistsError, ShareNotFoundError, type ShareRegistry } from "../../../src/core/ports/share-registry";
import type { Share } from "../../../src/core/registry/share";

export function share(id: string, extra: Partial<Share> = {}): Share {
  return {
    id,
    account: "https://contoso.file.core.windows.net",
    shareName: `share-${id.replace(/\./g, "-")}`,
    auth: { mode: "managedidentity" },
    schedule: "15 3 * * *",
    retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 1 },
    include: ["docs/**"],
    exclude: ["*.tmp", "**/cache/*"],
    enabled: true,
    createdAt: "2026-03-01T10:00:00.000Z",
    ...extra,
  };
}

export function shareRegistryConformance(name: string, make: () => Promise<ShareRegistry>): void {
  describe(`ShareRegistry conformance: ${name}`, () => {
    let registry: ShareRegistry;
    beforeEach(async () => {
      registry = await make();
    });

    test("add then get returns exactly what was added, every auth mode", async () => {
      const a = share("a1");
      const b = share("b2", { auth: { mode: "connectionstring-setting", setting: "AFB_SHARE_B2" }, enabled: false, include: [], exclude: [] });
      const c = share("c3", { auth: { mode: "managedidentity", clientId: "11111111-2222-3333-4444-555555555555" }, lastScheduledRun: "2026-03-02T03:15:00.000Z" });
      for (const s of [a, b, c]) await registry.add(s);
      expect(await registry.get("a1")).toEqual(a);
      expect(await registry.get("b2")).toEqual(b);
      expect(await registry.get("c3")).toEqual(c);
      expect(await registry.get("zz")).toBeUndefined();
      expect(await registry.get("Not-Valid")).toBeUndefined();
    });

    test("add never replaces", async () => {
      await registry.add(share("dup"));
      await expect(registry.add(share("dup", { shareName: "other" }))).rejects.toBeInstanceOf(ShareExistsError);
      expect((await registry.get("dup"))?.shareName).toBe("share-dup");
    });

    test("list is sorted by id", async () => {
      for (const id of ["m", "a.b", "z9", "a-c"]) await registry.add(share(id));
      expect((await registry.list()).map((s) => s.id)).toEqual(["a-c", "a.b", "m", "z9"]);
    });

    test("remove is idempotent", async () => {
      await registry.add(share("gone"));
      expect(await registry.remove("gone")).toBe(true);
      expect(await registry.remove("gone")).toBe(false);
      expect(await registry.get("gone")).toBeUndefined();
      expect(await registry.list()).toEqual([]);
    });

    test("recordScheduledRun updates only that field and never recreates a removed share", async () => {
      const s = share("sched");
      await registry.add(s);
      await registry.recordScheduledRun("sched", "2026-03-02T03:15:00.000Z");
      expect(await registry.get("sched")).toEqual({ ...s, lastScheduledRun: "2026-03-02T03:15:00.000Z" });
      await registry.remove("sched");
      await expect(registry.recordScheduledRun("sched", "2026-03-03T03:15:00.000Z")).rejects.toBeInstanceOf(ShareNotFoundError);
      expect(await registry.get("sched")).toBeUndefined();
    });

    test("an invalid share is refused before anything is stored", async () => {
      await expect(registry.add(share("bad", { schedule: "every day" }))).rejects.toThrow(/schedule/);
      expect(await registry.get("bad")).toBeUndefined();
    });

    test("returned shares are copies", async () => {
      await registry.add(share("copy"));
      const got = await registry.get("copy");
      (got as { exclude: string[] }).exclude.push("mutated");
      expect((await registry.get("copy"))?.exclude).toEqual(["*.tmp", "**/cache/*"]);
    });
  });
}
