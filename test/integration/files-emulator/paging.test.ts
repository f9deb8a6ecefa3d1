/**
 * Listing a directory of more than 12,000 entries through the SDK: pages of at most 5,000 (the
 * service's cap), every entry exactly once, in lexical order within each kind, markers that resume
 * where the previous page ended. Entries are seeded fast (straight to disk on the emulator, which
 * adopts them; bounded-concurrency SDK uploads on a live account), but listed through the SDK only.
 */
import type { ShareClient } from "@azure/storage-file-share";
import { targets, uniqueShare, type Target } from "./targets";

const FILES = 12_345;

describe.each(targets())("List Directories and Files paging against $name", (target: Target) => {
  let share: ShareClient;
  const names = Array.from({ length: FILES }, (_, i) => `file-${String(i).padStart(6, "0")}`);

  beforeAll(async () => {
    await target.start();
    share = target.service().getShareClient(uniqueShare("paging"));
    await share.create();
    await target.seedFiles(share.name, "big", names);
    await share.getDirectoryClient("big").getDirectoryClient("zz-subdir").create();
  }, 600_000);
  afterAll(async () => {
    await share?.deleteIfExists({ deleteSnapshots: "include" });
    await target.stop();
  });

  test("pages of 5,000 cover every entry once, with FileIds, in order", async () => {
    const dir = share.getDirectoryClient("big");
    const pages: number[] = [];
    const seen: string[] = [];
    const ids = new Set<string>();
    for await (const page of dir.listFilesAndDirectories({ includeExtendedInfo: true }).byPage({ maxPageSize: 5000 })) {
      const entries = [...page.segment.fileItems, ...page.segment.directoryItems];
      pages.push(entries.length);
      for (const e of entries) {
        seen.push(e.name);
        ids.add(e.fileId as string);
      }
    }
    expect(pages).toEqual([5000, 5000, FILES + 1 - 10_000]);
    expect(seen.filter((n) => n.startsWith("file-"))).toEqual(names);
    expect(seen).toContain("zz-subdir");
    expect(ids.size).toBe(FILES + 1);
  });

  test("a marker resumes a listing; maxresults smaller than a page and a prefix are honoured", async () => {
    const dir = share.getDirectoryClient("big");
    const first = await dir.listFilesAndDirectories({ prefix: "file-001" }).byPage({ maxPageSize: 7 }).next();
    expect(first.value.segment.fileItems.map((f: { name: string }) => f.name)).toEqual(names.slice(1000, 1007));
    const marker = first.value.continuationToken as string;
    expect(marker).toBeTruthy();
    const second = await dir.listFilesAndDirectories({ prefix: "file-001" }).byPage({ maxPageSize: 7, continuationToken: marker }).next();
    expect(second.value.segment.fileItems.map((f: { name: string }) => f.name)).toEqual(names.slice(1007, 1014));
    let total = 0;
    for await (const e of dir.listFilesAndDirectories({ prefix: "file-001" })) total += e.kind === "file" ? 1 : 0;
    expect(total).toBe(1000);
  });
});
