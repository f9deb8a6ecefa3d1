/**
 * DIR/stack.json: how a running `afb stack up` announces itself to other `afb` commands (its settings,
 * its pid), and DIR/stack.lock, which marks a data folder as in use by one stack (served or embedded).
 * Guarantees: a stack counts as running only if its file parses, its pid is alive and every port it
 * lists accepts a TCP connection; stale files are reported as absent, never trusted.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import type { StackSettings } from "./types";

/** The contents of DIR/stack.json. */
export interface StackFile {
  readonly pid: number;
  readonly settings: Partial<StackSettings>;
}

export const STACK_FILE = "stack.json";
export const DATA_LOCK = "stack.lock";

/** Writes DIR/stack.json atomically (readers never see half a file). */
export function writeStackFile(dir: string, file: StackFile): void {
  const path = join(dir, STACK_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...file.settings, pid: file.pid })}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Removes DIR/stack.json if it is this process's. */
export function removeStackFile(dir: string, pid: number = process.pid): void {
  const current = readStackFile(dir);
  if (current === undefined || current.pid === pid) rmSync(join(dir, STACK_FILE), { force: true });
}

/** Parses DIR/stack.json; undefined when absent or not a stack file. */
export function readStackFile(dir: string): StackFile | undefined {
  const path = join(dir, STACK_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    const { pid, ...settings } = raw;
    if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, settings: settings as Partial<StackSettings> };
  } catch {
    return undefined;
  }
}

/** True if a process with this pid exists (signal 0 checks without touching it). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The host:port pairs a stack's settings point at. */
export function stackAddresses(settings: Partial<StackSettings>): { host: string; port: number }[] {
  const urls: string[] = [];
  for (const key of ["blob", "queue", "table", "files"] as const) {
    const conn = settings[key];
    if (typeof conn !== "string") continue;
    for (const part of conn.split(";")) {
      const m = /^(Blob|Queue|Table|File)Endpoint=(.+)$/.exec(part.trim());
      if (m) urls.push(m[2]);
    }
  }
  if (settings.cosmos !== undefined) urls.push(settings.cosmos.endpoint);
  return urls.flatMap((u) => {
    try {
      const url = new URL(u);
      const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      return [{ host: url.hostname.replace(/^\[|\]$/g, ""), port }];
    } catch {
      return [];
    }
  });
}

/** Resolves true if a TCP connection to host:port opens within timeoutMs. */
export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** The running stack announced in DIR, if its process is alive and all its ports answer. */
export async function findRunningStack(dir: string): Promise<StackFile | undefined> {
  const file = readStackFile(dir);
  if (file === undefined || !pidAlive(file.pid)) return undefined;
  const addresses = stackAddresses(file.settings);
  if (addresses.length === 0) return undefined;
  const answers = await Promise.all(addresses.map((a) => portAnswers(a.host, a.port)));
  return answers.every(Boolean) ? file : undefined;
}

/** The pid holding DIR's lock, if that process is still alive. */
export function dataLockHolder(dir: string): number | undefined {
  const path = join(dir, DATA_LOCK);
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid) ? pid : undefined;
}

/**
 * Takes DIR's lock for this process (two stacks on one folder would corrupt Azurite's databases);
 * returns the release function. `wx` makes the create atomic; a stale lock is replaced.
 */
export function takeDataLock(dir: string): () => void {
  const path = join(dir, DATA_LOCK);
  const holder = dataLockHolder(dir);
  if (holder !== undefined) {
    throw new Error(`the local stack data in ${dir} is in use by another afb process (pid ${holder}); run \`afb stack up\` once to share one stack between commands`);
  }
  mkdirSync(dir, { recursive: true });
  rmSync(path, { force: true });
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
  } catch (err) {
    throw new Error(`the local stack data in ${dir} was just taken by another afb command`, { cause: err });
  }
  return () => {
    if (existsSync(path) && readFileSync(path, "utf8").trim() === String(process.pid)) rmSync(path, { force: true });
  };
}
