/**
 * How `afb backup` shows progress on a TTY, behind a small interface so the renderer can be swapped:
 * the issue asks for a maintained progress-bar library (cli-progress); until it is installed, this
 * module renders the same three bars (phase, files, bytes) as one redrawn status line on stderr.
 * Guarantees: nothing is drawn when stderr is not a TTY; stop() leaves the cursor on a fresh line.
 */
import type { BackupProgress } from "../../core/backup/model";

export interface ProgressView {
  update(p: BackupProgress): void;
  stop(): void;
}

export const formatBytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 30).toFixed(2)} GiB`;

function bar(done: number, total: number, width = 20): string {
  const ratio = total <= 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/** The status line of one progress report. */
export function statusLine(p: BackupProgress): string {
  switch (p.phase) {
    case "scan":
      return `scan     ${p.dirs} dirs, ${p.files} files`;
    case "content":
      return `content  ${bar(p.bytesRead, p.bytesToRead)} ${p.filesRead}/${p.filesToRead} files, ${formatBytes(p.bytesRead)}/${formatBytes(p.bytesToRead)}`;
    case "trees":
      return `trees    ${bar(p.dirsSealed, p.dirsToSeal)} ${p.dirsSealed}/${p.dirsToSeal} dirs`;
    default:
      return p.phase;
  }
}

class LineView implements ProgressView {
  private width = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(p: BackupProgress): void {
    const line = statusLine(p);
    this.out.write(`\r${line.padEnd(this.width)}`);
    this.width = line.length;
  }

  stop(): void {
    if (this.width > 0) this.out.write("\n");
    this.width = 0;
  }
}

const silent: ProgressView = { update: () => undefined, stop: () => undefined };

/** The progress view for `stream`: a redrawn line on a TTY, nothing otherwise. */
export function progressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  return stream.isTTY === true ? new LineView(stream) : silent;
}
