/** The backup's progress view: bars drawn through cli-progress on a TTY, nothing on a pipe. */
import { PassThrough } from "node:stream";
import { phaseDetail, progressView } from "../../../src/cli/commands/backup-progress";
import type { BackupProgress } from "../../../src/core/backup/model";

const progress = (over: Partial<BackupProgress>): BackupProgress => ({
  phase: "content", files: 10, dirs: 2, filesRead: 3, filesToRead: 4, bytesRead: 3 * 1024 * 1024, bytesToRead: 4 * 1024 * 1024, dirsSealed: 0, dirsToSeal: 2, ...over,
});

function fakeTty(): { stream: NodeJS.WriteStream; text: () => string } {
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on("data", (c: Buffer) => chunks.push(c));
  const stream = Object.assign(pass, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

test("on a TTY, the phase, files and bytes appear in the drawn bars", () => {
  const tty = fakeTty();
  const view = progressView(tty.stream);
  view.update(progress({}));
  view.stop();
  const out = tty.text();
  expect(out).toContain("content");
  expect(out).toContain("3/4 files stored");
  expect(out).toContain("3.0 MiB/4.0 MiB read");
});

test("not a TTY: nothing is written", () => {
  const pass = new PassThrough();
  let written = 0;
  pass.on("data", (c: Buffer) => (written += c.length));
  const view = progressView(Object.assign(pass, { isTTY: false }) as unknown as NodeJS.WriteStream);
  view.update(progress({}));
  view.stop();
  expect(written).toBe(0);
});

test("phase details say what the scan and the sealing have done", () => {
  expect(phaseDetail(progress({ phase: "scan", dirs: 5, files: 70 }))).toBe("5 dirs, 70 entries listed");
  expect(phaseDetail(progress({ phase: "trees", dirsSealed: 1, dirsToSeal: 2 }))).toBe("1/2 dirs sealed");
  expect(phaseDetail(progress({ phase: "content", dirsSealed: 0 }))).toBe("");
  expect(phaseDetail(progress({ phase: "content", dirs: 9, files: 120, dirsSealed: 3, dirsToSeal: 9 }))).toBe("9 dirs, 120 entries listed, 3/9 dirs sealed");
});
