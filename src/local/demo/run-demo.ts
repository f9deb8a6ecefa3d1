/**
 * `npm run demo`: the product end to end on the embedded local stack, through the app's own entry
 * points — register a share (POST /api/shares), back it up (POST /api/shares/{id}/backups, followed
 * on GET /api/operations/{id}), change it (edit, rename the directory holding the large files,
 * delete, add), let the schedule timer run the incremental backup, restore the latest snapshot to a
 * new share (POST /api/restores), and compare the two shares through the SDK.
 * Guarantees: every check is listed in the report with its outcome; `ok` is true only when all pass.
 */
import { systemClock } from "../../config/clock";
import { buildCorpus, changeCorpus, DEFAULT_CORPUS, type CorpusOptions } from "./corpus";
import { compareShares } from "./compare";
import { startDemoApp } from "./demo-app";

export interface DemoCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface DemoPhase {
  readonly phase: string;
  readonly durationMs: number;
  readonly files?: number;
  readonly bytesRead?: number;
  readonly bytesNew?: number;
  readonly note?: string;
}

export interface DemoReport {
  readonly ok: boolean;
  readonly phases: readonly DemoPhase[];
  readonly checks: readonly DemoCheck[];
  readonly fullBackup?: Record<string, unknown>;
  readonly incrementalBackup?: Record<string, unknown>;
  readonly restore?: Record<string, unknown>;
}

export interface DemoOptions {
  readonly corpus?: CorpusOptions;
  /** Progress lines (stderr in the CLI). */
  readonly log: (line: string) => void;
}

const SHARE = "demo";
const RESTORED = "demo-restored";

function progressLine(view: Record<string, unknown>): string {
  const p = (view.progress ?? {}) as Record<string, unknown>;
  const parts = ["files", "dirs", "bytes", "filesToRead", "bytesRead", "dirsSealed", "errors"].filter((k) => typeof p[k] === "number").map((k) => `${k}=${String(p[k])}`);
  return `  ${String(view.instanceId)}: ${String(view.phase)} ${parts.join(" ")}`;
}

export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  const phases: DemoPhase[] = [];
  const checks: DemoCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    o.log(`${ok ? "PASS" : "FAIL"} ${name}: ${detail}`);
  };
  const timed = async <T>(phase: string, work: () => Promise<T>, describe: (r: T) => Omit<DemoPhase, "phase" | "durationMs"> = () => ({})): Promise<T> => {
    o.log(`== ${phase}`);
    const t0 = systemClock();
    const r = await work();
    phases.push({ phase, durationMs: systemClock() - t0, ...describe(r) });
    return r;
  };
  const app = await timed("start the local stack and the app", () => startDemoApp());
  const report: { fullBackup?: Record<string, unknown>; incrementalBackup?: Record<string, unknown>; restore?: Record<string, unknown> } = {};
  try {
    const share = app.files.getShareClient(SHARE);
    await share.create();
    const corpus = await timed("generate the demo share", () => buildCorpus(share, o.corpus ?? DEFAULT_CORPUS), (c) => ({ files: c.files, note: `${(c.bytes / 2 ** 20).toFixed(1)} MiB in ${c.dirs} directories` }));

    const registration = { id: SHARE, account: app.files.url.replace(/\/+$/, ""), shareName: SHARE, auth: { mode: "connectionstring-setting", setting: "AFB_FILES" }, schedule: "* * * * *" };
    const registered = await app.call("POST", "/api/shares", registration);
    check("register the share (POST /api/shares)", registered.status === 201, `HTTP ${registered.status}`);

    const full = await timed("full backup (POST /api/shares/demo/backups)", async () => {
      const started = await app.call("POST", `/api/shares/${SHARE}/backups`);
      if (started.status !== 202) throw new Error(`starting the backup answered HTTP ${started.status}: ${JSON.stringify(started.body)}`);
      return app.follow(String(started.body.id), (v) => o.log(progressLine(v)));
    }, (v) => resultColumns(v));
    report.fullBackup = full;
    const fr = (full.result ?? {}) as Record<string, number>;
    check("full backup completed", full.runtimeStatus === "Completed", `${String(full.runtimeStatus)} ${JSON.stringify(full.errors ?? [])}`);
    check("full backup holds every file", fr.files === corpus.files, `${fr.files} of ${corpus.files} files`);

    const changes = await timed("change the share (edit 5, rename the large-file directory, delete 10, add 20)", () => changeCorpus(share, o.corpus ?? DEFAULT_CORPUS));

    const incremental = await timed("incremental backup (schedule timer)", async () => {
      app.advance(2 * 60_000);
      await app.tick();
      return app.follow(`backup-${SHARE}`, (v) => o.log(progressLine(v)));
    }, (v) => resultColumns(v));
    report.incrementalBackup = incremental;
    const ir = (incremental.result ?? {}) as Record<string, number>;
    check("incremental backup completed", incremental.runtimeStatus === "Completed", `${String(incremental.runtimeStatus)} ${JSON.stringify(incremental.errors ?? [])}`);
    check("the renamed directory was not read again", ir.renamed === 1 && ir.bytesRead === changes.editedBytes + changes.addedBytes, `renamed ${ir.renamed}, bytes read ${ir.bytesRead} = edited ${changes.editedBytes} + added ${changes.addedBytes} (the ${(corpus.bigDirBytes / 2 ** 20).toFixed(0)} MiB renamed: 0 bytes re-read)`);
    check("changes found", ir.modified === changes.edited && ir.deleted === changes.deleted && ir.added === changes.added + 1, `modified ${ir.modified}, deleted ${ir.deleted}, added ${ir.added} (20 files + their directory)`);

    const restore = await timed("restore the latest snapshot to a new share (POST /api/restores)", async () => {
      const started = await app.call("POST", "/api/restores", { shareId: SHARE, snapshot: "latest", target: { share: RESTORED } });
      if (started.status !== 202) throw new Error(`starting the restore answered HTTP ${started.status}: ${JSON.stringify(started.body)}`);
      return app.follow(String(started.body.id), (v) => o.log(progressLine(v)));
    }, (v) => {
      const r = (v.result ?? {}) as Record<string, number>;
      return { files: r.files, note: `${((r.bytes ?? 0) / 2 ** 20).toFixed(1)} MiB written to ${RESTORED}` };
    });
    report.restore = restore;
    check("restore completed", restore.runtimeStatus === "Completed", `${String(restore.runtimeStatus)} ${JSON.stringify(restore.errors ?? [])}`);

    const compared = await timed("compare the restored share with the source (SDK)", () => compareShares(share, app.files.getShareClient(RESTORED)), (c) => ({ files: c.files, note: `${c.differences.length} differences` }));
    check("restored share is byte- and metadata-identical", compared.differences.length === 0 && compared.files > 0, compared.differences.length === 0 ? `${compared.files} files, ${compared.dirs} directories identical (content, attributes, times, ACLs, user metadata)` : compared.differences.join("; "));
  } catch (err) {
    check("demo ran to the end", false, err instanceof Error ? err.message : String(err));
  } finally {
    await app.stop();
  }
  return { ok: checks.length > 0 && checks.every((c) => c.ok), phases, checks, ...report };
}

function resultColumns(view: Record<string, unknown>): Omit<DemoPhase, "phase" | "durationMs"> {
  const r = (view.result ?? {}) as Record<string, number>;
  const dedup = r.bytesRead > 0 ? ` dedup: ${(r.bytesNew / r.bytesRead).toFixed(2)} new/read` : "";
  return { files: r.files, bytesRead: r.bytesRead, bytesNew: r.bytesNew, note: `added ${r.added} modified ${r.modified} renamed ${r.renamed} deleted ${r.deleted}${dedup}` };
}
