/**
 * Loads the bundled CLI (dist/afb.js) with V8's compiled code kept between runs.
 * Node 22.1+ does this itself (`module.enableCompileCache`); Node 20 does not, and there compiling the
 * bundle is most of its ~0.2 s of loading. On Node 20 the bundle is compiled through `vm.Script` with
 * the code cache of an earlier run, and the cache is written at exit when there was none or V8 refused
 * it (another Node version, flags or bundle). One cache per command: a cache holds the functions that
 * ran, and `afb --help` must not leave `afb backup` with a cache of the help text.
 * Guarantees: the cache only ever speeds the start up. A missing, stale, corrupt or unwritable cache
 * loads the bundle the usual way and is never reported as an error. Caches live in a folder of the
 * user's own (0700; compiled code another user could plant would run as this one), never in a shared
 * temporary directory.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** The folder caches go to: $AFB_CODE_CACHE_DIR, else $XDG_CACHE_HOME/afb, else ~/.cache/afb. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AFB_CODE_CACHE_DIR) return env.AFB_CODE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "afb");
}

export interface LoadedBundle {
  readonly exports: unknown;
  /** "hit": compiled code came from the cache; "miss": none was there; "rejected": V8 refused it. */
  readonly cache: "hit" | "miss" | "rejected";
  /** Writes the cache if this load did not use one (the caller does it at exit, after the command ran). */
  save(): void;
}

/**
 * The cache file of `file` for `command`: named by Node's version, its V8 options (V8 refuses a cache
 * made under other flags, and two flag sets sharing one file would overwrite each other's at every
 * run), the bundle's size and time, and the command.
 */
function cacheFile(dir: string, file: string, command: string): string {
  const st = statSync(file);
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  const key = createHash("sha256").update([process.version, process.arch, flags, file, st.size, st.mtimeMs, command].join("\0")).digest("hex");
  return join(dir, "v8", `${key.slice(0, 32)}.bin`);
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Loads the CommonJS `file` as a module (its own require, module and exports), compiled with a code cache for `command`. */
export function loadWithCodeCache(file: string, command: string, dir: string = codeCacheDir()): LoadedBundle {
  const source = readFileSync(file, "utf8");
  let path: string | undefined;
  try {
    path = cacheFile(dir, file, command);
  } catch {
    path = undefined;
  }
  const cachedData = path === undefined ? undefined : readCache(path);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, { filename: file, cachedData });
  const cache = cachedData === undefined ? "miss" : script.cachedDataRejected ? "rejected" : "hit";
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false, children: [] as unknown[] };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return {
    exports: mod.exports,
    cache,
    save: () => {
      if (cache === "hit" || path === undefined) return;
      try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        // Written aside and renamed: two commands finishing at once never leave half a cache.
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, path);
      } catch {
        // An unwritable cache folder costs the next start its compile time, nothing else.
      }
    },
  };
}
