/**
 * How `afb backup` shows progress on a TTY: three bars drawn by cli-progress (phase with what the
 * scan has listed, files stored, bytes read), behind a small interface so commands and tests need not
 * know the library. Guarantees: nothing is drawn when stderr is not a TTY (so `--json` and pipes stay
 * clean); stop() leaves the cursor on a fresh line.
 */
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import { BACKUP_PHASES, type BackupProgress } from "../../core/backup/model";

export interface ProgressView {
  update(p: BackupProgress): void;
  stop(): void;
}

export const formatBytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 30).toFixed(2)} GiB`;

/** The text beside the phase bar: what the current phase has done so far. */
export function phaseDetail(p: BackupProgress): string {
  switch (p.phase) {
    case "scan":
      return `${p.dirs} dirs, ${p.files} entries listed`;
    case "content":
      // A first backup lists, stores and seals in one pass: its content phase shows all three.
      return p.dirsSealed > 0 ? `${p.dirs} dirs, ${p.files} entries listed, ${p.dirsSealed}/${p.dirsToSeal} dirs sealed` : "";
    case "trees":
      return `${p.dirsSealed}/${p.dirsToSeal} dirs sealed`;
    default:
      return "";
  }
}

class BarsView implements ProgressView {
  private readonly bars: MultiBar;
  private readonly phase: SingleBar;
  private readonly files: SingleBar;
  private readonly bytes: SingleBar;

  constructor(stream: NodeJS.WriteStream) {
    this.bars = new MultiBar(
      { stream, clearOnComplete: false, hideCursor: true, format: " {label} [{bar}] {detail}", autopadding: true },
      Presets.shades_classic,
    );
    this.phase = this.bars.create(BACKUP_PHASES.length, 0, { label: "phase  ", detail: "" });
    this.files = this.bars.create(1, 0, { label: "files  ", detail: "" });
    this.bytes = this.bars.create(1, 0, { label: "bytes  ", detail: "" });
  }

  update(p: BackupProgress): void {
    const step = Math.max(0, BACKUP_PHASES.indexOf(p.phase));
    this.phase.update(step + 1, { detail: `${p.phase}  ${phaseDetail(p)}` });
    this.files.setTotal(Math.max(1, p.filesToRead));
    this.files.update(p.filesRead, { detail: `${p.filesRead}/${p.filesToRead} files stored` });
    this.bytes.setTotal(Math.max(1, p.bytesToRead));
    this.bytes.update(p.bytesRead, { detail: `${formatBytes(p.bytesRead)}/${formatBytes(p.bytesToRead)} read` });
  }

  stop(): void {
    this.bars.stop();
  }
}

const silent: ProgressView = { update: () => undefined, stop: () => undefined };

/** The progress view for `stream`: bars on a TTY, nothing otherwise. */
export function progressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  return stream.isTTY === true ? new BarsView(stream) : silent;
}
