/**
 * Loads the bundled CLI (dist/afb.js) with V8's compiled code kept between runs.
 * Node 22.1+ does this itself (`module.enableCompileCache`); Node 20 does not, and there compiling the
 * bundle is most of its ~0.2 s of loading. On Node 20 the bundle is compiled through `vm.Script` with
 * the code cache of an earlier run, and the cache is written at exit, after a command that succeeded,
 * when there was none or V8 refused it (another Node version or flags). One cache per command: a cache
 * holds the functions that ran, and `afb --help` must not leave `afb backup` with a cache of the help
 * text. Saving a command's cache removes that command's caches of other bundles. The V8 options the
 * CLI runs under (START_FLAGS) live here too: a cache is only valid under the options it was made with.
 * Guarantees: the cache only ever speeds the start up. A missing, stale, corrupt or unwritable cache,
 * or no home folder, loads the bundle the usual way and is never reported as an error. A cache is
 * named by a hash of the bundle's bytes (V8 itself checks only the source's length). Caches live in a
 * folder of the user's own, never in a shared temporary directory, and a folder another user could
 * write to is not used: compiled code planted there would run as this user.
 */
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { constants as vmConstants, Script } from "node:vm";

/**
 * V8 options for a CLI process, set before the bundle is compiled (a code cache is only valid under
 * the options it was made with):
 *  - a 4x interrupt budget: a command is short-lived, and by default V8 optimizes hundreds of
 *    functions (SDKs, codecs) that run only briefly: ~1 s of CPU on background threads per backup of
 *    2,000 files; this leaves optimizing to the hot ones. Measured in alternated runs: full backups
 *    of 2,000 files used the same CPU at 4x and 16x (medians 3.2 / 3.3 s over six runs each; 20,000
 *    files: 9.7-10.9 s both), 15-30% more at 1x and 2x; an unchanged incremental of 20,000 files
 *    took 0.65 s at 4x, 0.59 s at 1x and 0.75 s at 16x (at 16x its listing loops, such as every
 *    entry's metadata hash, stay unoptimized longer).
 *  - no bytecode flushing: the cache is written at exit and holds only the functions whose bytecode is
 *    still alive, and V8 drops the bytecode of functions idle across a few full GCs. The first command
 *    after an install (usually a full backup, with many GCs) left a cache without the start-up code,
 *    and a cache that loads is never rewritten: every later quick backup compiled that code again
 *    (20,000 unchanged files: 1.03 s instead of 0.78 s). Kept instead, the bytecode of what ran costs a
 *    few MB for the life of one command.
 */
export const START_FLAGS: readonly string[] = ["--interrupt-budget=262144", "--no-flush-bytecode"];

export function applyStartFlags(): void {
  for (const flag of START_FLAGS) setFlagsFromString(flag);
}

/** The folder caches go to: $AFB_CODE_CACHE_DIR, else $XDG_CACHE_HOME/afb, else ~/.cache/afb; undefined without a home folder. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AFB_CODE_CACHE_DIR) return env.AFB_CODE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "afb");
  try {
    return join(homedir(), ".cache", "afb");
  } catch {
    // No HOME and no passwd entry (some containers): no cache.
    return undefined;
  }
}

/**
 * Creates `dir` (0700) if missing and returns it if it is safe to run cached code from: owned by
 * this user and writable by no one else. Else, or if it cannot be made, undefined: a folder others
 * could write to may already hold their files, so it is not used at all, not even after a chmod.
 */
export function privateDir(dir: string): string | undefined {
  try {
    makeDir(dir, 0);
    const st = statSync(dir);
    if (!st.isDirectory()) return undefined;
    // Windows has no uid and no group/other write bits to check.
    if (typeof process.getuid === "function" && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** Deepest folder chain made for a cache: far beyond any real path, a bound on the climb below. */
const MAX_DEPTH = 64;

/**
 * `mkdir -p` with mode 0700, climbing at most MAX_DEPTH parents. Not `mkdirSync(..., { recursive })`:
 * on Node 20 that loops forever when a parent that exists still answers ENOENT (as under /proc),
 * which hung the CLI before any command ran.
 */
function makeDir(dir: string, depth: number): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    const parent = dirname(dir);
    if (code !== "ENOENT" || parent === dir || depth >= MAX_DEPTH) throw err;
    makeDir(parent, depth + 1);
    // Once: a parent made (or found) that still leaves this ENOENT is a file system to give up on.
    mkdirSync(dir, { mode: 0o700 });
  }
}

export interface LoadedBundle {
  readonly exports: unknown;
  /** "hit": compiled code came from the cache; "miss": none was there (or no cache folder); "rejected": V8 refused it. */
  readonly cache: "hit" | "miss" | "rejected";
  /** Writes the cache if this load did not use one; the caller does it at exit, after the command succeeded. */
  save(): void;
}

/**
 * The cache file of `source` for `command`: named by Node's version, its V8 options (V8 refuses a
 * cache made under other flags, and two flag sets sharing one file would overwrite each other's at
 * every run) and the bundle's bytes; prefixed by the command, so that saving can drop the command's
 * caches of earlier bundles.
 */
function cacheName(bytes: Buffer, command: string): string {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  // The bytes are hashed as read: hashing the decoded text re-encoded all of it first (~2x the time).
  const key = createHash("sha256").update([process.version, process.arch, flags, command, ""].join("\0")).update(bytes).digest("hex");
  return `${command || "afb"}-${key.slice(0, 32)}.bin`;
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Loads the CommonJS `file` as a module (its own require, module and exports), compiled with a code
 * cache for `command` kept under `dir` (codeCacheDir(); undefined: no cache).
 */
export function loadWithCodeCache(file: string, command: string, dir: string | undefined): LoadedBundle {
  const bytes = readFileSync(file);
  // The bundle is ASCII (scripts/bundle-cli.js): as Latin-1 it decodes ~20x faster than as UTF-8,
  // which is what anything else is read as.
  const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  const folder = dir === undefined ? undefined : privateDir(join(dir, "v8"));
  const name = cacheName(bytes, command);
  const path = folder === undefined ? undefined : join(folder, name);
  const cachedData = path === undefined ? undefined : readCache(path);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename: file,
    cachedData,
    // A dynamic import() in the bundle resolves as it would in a module Node loaded itself.
    ...(vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER !== undefined ? { importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
  });
  const cache = cachedData === undefined ? "miss" : script.cachedDataRejected ? "rejected" : "hit";
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false, children: [] as unknown[] };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return {
    exports: mod.exports,
    cache,
    save: () => {
      if (cache === "hit" || folder === undefined || path === undefined) return;
      try {
        // Written aside and renamed: two commands finishing at once never leave half a cache.
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, path);
        const same = new RegExp(`^${name.slice(0, name.lastIndexOf("-"))}-[0-9a-f]{32}\\.bin$`);
        for (const f of readdirSync(folder)) if (f !== name && same.test(f)) unlinkSync(join(folder, f));
      } catch {
        // An unwritable cache folder costs the next start its compile time, nothing else.
      }
    },
  };
}
