/**
 * The local target's file sinks (small files kept in memory and written with synchronous calls at
 * completion, others streamed): one contract for both, checked around the size where they meet.
 */
import { createHash } from "node:crypto";
import { linkSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMALL_FILE_BYTES } from "../../../src/adapters/local-fs/file-sinks";
import { LocalRestoreTarget } from "../../../src/adapters/local-fs/restore-target";
import { TargetExistsError, type RestoreProperties } from "../../../src/core/ports/share-writer";
import { tempDir } from "./local-target";

const PROPS: RestoreProperties = { attributes: 0x20, creationTime: 0, lastWriteTime: 1_700_000_000_123_000, lastAccessTime: 1_700_000_100_000_000, userMetadata: { posix: "640:0:0" } };
const SIZES = [["small", 10], ["largest small", SMALL_FILE_BYTES], ["streamed", SMALL_FILE_BYTES + 1]] as const;

let work: ReturnType<typeof tempDir>;
beforeEach(() => (work = tempDir("sinks")));
afterEach(() => work.remove());

const BYTES = Buffer.from(Array.from({ length: SMALL_FILE_BYTES + 1 }, (_, i) => ((i * 7) % 251) + 1));
const pattern = (size: number): Buffer => BYTES.subarray(0, size);
const temps = (dir: string): string[] => readdirSync(dir).filter((x) => x.startsWith(".afb-restore-"));
const tempNameOf = (name: string): string => `.afb-restore-${createHash("sha256").update(name).digest("hex").slice(0, 24)}.part`;

describe.each(SIZES)("a %s file", (_, size) => {
  it("takes vectors and plain writes, is zero-extended to its size, gets mode and times, then its name", async () => {
    const target = await LocalRestoreTarget.open(work.path);
    const data = pattern(size);
    const cut = Math.floor(size / 3);
    const sink = await target.beginFile("f.bin", size);
    await sink.writev!(0, [data.subarray(0, 1), data.subarray(1, cut)]);
    await sink.write(cut, data.subarray(cut, size - 4));
    expect(readdirSync(work.path)).not.toContain("f.bin");
    await sink.complete(PROPS, false);
    expect(readFileSync(join(work.path, "f.bin"))).toEqual(Buffer.concat([data.subarray(0, size - 4), Buffer.alloc(4)]));
    const st = statSync(join(work.path, "f.bin"));
    expect(st.mode & 0o777).toBe(0o640);
    expect(st.mtime.getTime()).toBe(PROPS.lastWriteTime / 1000);
    expect(temps(work.path)).toEqual([]);
  });

  it("never replaces an existing file unless asked, and leaves no temporary file", async () => {
    const target = await LocalRestoreTarget.open(work.path);
    writeFileSync(join(work.path, "f.bin"), "mine");
    const sink = await target.beginFile("f.bin", size);
    await sink.write(0, pattern(size));
    await expect(sink.complete(PROPS, false)).rejects.toThrow(TargetExistsError);
    await sink.discard();
    expect(readFileSync(join(work.path, "f.bin"), "utf8")).toBe("mine");
    expect(temps(work.path)).toEqual([]);

    const again = await target.beginFile("f.bin", size);
    await again.write(0, pattern(size));
    await again.complete(PROPS, true);
    expect(readFileSync(join(work.path, "f.bin"))).toEqual(pattern(size));
    expect(temps(work.path)).toEqual([]);
  });

  it("discarded before completion, leaves nothing behind", async () => {
    const target = await LocalRestoreTarget.open(work.path);
    const sink = await target.beginFile("gone.bin", size);
    await sink.write(0, pattern(size));
    await sink.discard();
    expect(readdirSync(work.path)).toEqual([]);
  });

  it("unlinks an interrupted run's leftover temporary file instead of writing through it (it may be a link to a complete file)", async () => {
    const target = await LocalRestoreTarget.open(work.path);
    writeFileSync(join(work.path, "a.bin"), "AAAA");
    linkSync(join(work.path, "a.bin"), join(work.path, tempNameOf("b.bin")));
    const sink = await target.beginFile("b.bin", size);
    await sink.write(0, pattern(size));
    await sink.complete(PROPS, false);
    expect(readFileSync(join(work.path, "a.bin"), "utf8")).toBe("AAAA");
    expect(readFileSync(join(work.path, "b.bin"))).toEqual(pattern(size));
    expect(temps(work.path)).toEqual([]);
  });
});
