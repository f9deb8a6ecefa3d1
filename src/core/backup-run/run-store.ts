/**
 * The state of one distributed backup run, kept OUTSIDE the orchestration history: small JSON
 * documents under `runs/backup/<runId>/` in the repository container. Each activity reads what it
 * needs and writes its own outputs under names derived from its input, so a retried activity
 * overwrites its own output with the same content and never another's. The run's documents are
 * deleted when the run finishes or is abandoned; a crash leaves them for the next run of the same id
 * (which overwrites them) or for deletion by `deleteAll`.
 * Guarantees: `get` of a missing document is a clear BackupError naming the run and the document.
 */
import { NotFoundError } from "../repository/errors";
import { readAll, type ObjectStore } from "../repository/object-store";
import { BackupError, describeError } from "../backup/model";

export const RUNS_PREFIX = "runs/backup/";

/** Run ids become blob names: keep them to a safe alphabet. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function assertRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== "string" || !RUN_ID.test(runId)) throw new BackupError(`backup run id ${JSON.stringify(runId)} must be 1-200 letters, digits, '.', '_' or '-'`);
}

export class RunStore {
  private readonly prefix: string;

  constructor(
    private readonly store: ObjectStore,
    readonly runId: string,
  ) {
    assertRunId(runId);
    this.prefix = `${RUNS_PREFIX}${runId}/`;
  }

  async put(name: string, value: unknown): Promise<void> {
    try {
      await this.store.put(this.prefix + name, Buffer.from(JSON.stringify(value), "utf8"));
    } catch (err) {
      throw new BackupError(`backup run ${this.runId} could not save ${name}: ${describeError(err)}`, { cause: err });
    }
  }

  async get<T>(name: string): Promise<T> {
    const found = await this.tryGet<T>(name);
    if (found === undefined) throw new BackupError(`backup run ${this.runId} has no ${name}: the run was abandoned or its state deleted; start the backup again`);
    return found;
  }

  async tryGet<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse((await readAll(this.store, this.prefix + name)).toString("utf8")) as T;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw new BackupError(`backup run ${this.runId} could not read ${name}: ${describeError(err)}`, { cause: err });
    }
  }

  /** Every document under `dir/` (names relative to the run). */
  async *list(dir: string): AsyncGenerator<string> {
    let continuation: string | undefined;
    do {
      const page = await this.store.list(`${this.prefix}${dir}/`, continuation === undefined ? {} : { continuation });
      for (const item of page.items) yield item.key.slice(this.prefix.length);
      continuation = page.continuation;
    } while (continuation !== undefined);
  }

  /** Deletes every document of the run; returns how many. */
  async deleteAll(): Promise<number> {
    const keys: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.store.list(this.prefix, continuation === undefined ? {} : { continuation });
      for (const item of page.items) keys.push(item.key);
      continuation = page.continuation;
    } while (continuation !== undefined);
    for (const key of keys) await this.store.delete(key);
    return keys.length;
  }
}
