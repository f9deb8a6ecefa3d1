import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { codeCacheDir, loadWithCodeCache, privateDir, START_FLAGS } from "../../../src/cli/code-cache";

/**
 * V8 keeps what it compiled for the life of an isolate and then never consults a code cache for that
 * source again, so whether a cache is used is only observable in a fresh process: each load below runs
 * in its own `node`, through the module transpiled as is.
 */
let loaderJs: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "afb-code-cache-loader-"));
  loaderJs = join(dir, "code-cache.js");
  const source = readFileSync(join(__dirname, "..", "..", "..", "src", "cli", "code-cache.ts"), "utf8");
  writeFileSync(loaderJs, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
});
afterAll(() => rmSync(join(loaderJs, ".."), { recursive: true, force: true }));

/** Loads `bundle` in a new process, calls its greet("x"), saves the cache; returns what the load reported. */
function loadInChild(bundle: string, command: string, cacheDir: string): { cache: string; greeting: string } {
  const script = `const m = require(${JSON.stringify(loaderJs)});
const l = m.loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(command)}, ${JSON.stringify(cacheDir)});
process.stdout.write(JSON.stringify({ cache: l.cache, greeting: l.exports.greet("x") }));
l.save();`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as { cache: string; greeting: string };
}

describe("loading the bundled CLI with a V8 code cache (Node 20's start)", () => {
  let root: string;
  let bundle: string;
  let cacheDir: string;

  const cacheFiles = (): string[] => {
    try {
      return readdirSync(join(cacheDir, "v8"));
    } catch {
      return [];
    }
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "afb-code-cache-"));
    cacheDir = join(root, "cache");
    bundle = join(root, "bundle.js");
    writeFileSync(join(root, "sibling.js"), "module.exports = { word: 'beside' };\n");
    writeFileSync(
      bundle,
      [
        "const sibling = require('./sibling');",
        "const path = require('node:path');",
        "function greet(name) { return `hello ${name}`; }",
        "module.exports = { greet, sibling: sibling.word, file: __filename, dir: __dirname, base: path.basename(__filename) };",
      ].join("\n"),
    );
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("runs the file as a module: its own require, __filename and __dirname, its exports", () => {
    const loaded = loadWithCodeCache(bundle, "backup", cacheDir);
    const exports = loaded.exports as { greet(n: string): string; sibling: string; file: string; dir: string; base: string };
    expect(exports.greet("afb")).toBe("hello afb");
    expect(exports.sibling).toBe("beside");
    expect(exports.file).toBe(bundle);
    expect(exports.dir).toBe(root);
    expect(exports.base).toBe("bundle.js");
  });

  it("misses, saves a cache only its user can read, then a new process uses it", () => {
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "miss", greeting: "hello x" });
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(statSync(join(cacheDir, "v8")).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheDir, "v8", files[0])).mode & 0o777).toBe(0o600);
    const written = statSync(join(cacheDir, "v8", files[0])).mtimeMs;

    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "hit", greeting: "hello x" });
    // A used cache is not written again.
    expect(cacheFiles()).toEqual(files);
    expect(statSync(join(cacheDir, "v8", files[0])).mtimeMs).toBe(written);
  });

  it("keeps one cache per command", () => {
    loadInChild(bundle, "backup", cacheDir);
    expect(loadInChild(bundle, "restore", cacheDir).cache).toBe("miss");
    expect(loadInChild(bundle, "backup", cacheDir).cache).toBe("hit");
    expect(cacheFiles()).toHaveLength(2);
  });

  it("loads a corrupt cache's bundle the usual way and replaces the cache", () => {
    loadInChild(bundle, "backup", cacheDir);
    const [file] = cacheFiles();
    writeFileSync(join(cacheDir, "v8", file), Buffer.from("not a code cache at all, just some bytes".repeat(8)));
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "rejected", greeting: "hello x" });
    expect(loadInChild(bundle, "backup", cacheDir).cache).toBe("hit");
  });

  it("never uses the cache of another bundle, even one of the same size and time, and keeps one cache per command", () => {
    loadInChild(bundle, "backup", cacheDir);
    const { mtime, size } = statSync(bundle);
    // Same length (V8's own check) and the same modification time, as npm tarballs or `cp -p` leave them.
    writeFileSync(bundle, readFileSync(bundle, "utf8").replace("hello", "howdy"));
    utimesSync(bundle, mtime, mtime);
    expect(statSync(bundle).size).toBe(size);
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "miss", greeting: "howdy x" });
    expect(cacheFiles()).toHaveLength(1);
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "hit", greeting: "howdy x" });
  });

  it("runs without a cache folder at all (no home folder)", () => {
    const loaded = loadWithCodeCache(bundle, "backup", undefined);
    expect(loaded.cache).toBe("miss");
    expect(() => loaded.save()).not.toThrow();
    expect((loaded.exports as { greet(n: string): string }).greet("z")).toBe("hello z");
  });

  it("makes its folder private, and never uses one that others could write to", () => {
    loadInChild(bundle, "backup", cacheDir);
    expect(statSync(join(cacheDir, "v8")).mode & 0o777).toBe(0o700);
    chmodSync(join(cacheDir, "v8"), 0o777);
    expect(privateDir(join(cacheDir, "v8"))).toBeUndefined();
    // The cache a group member could have planted there is not run, and nothing is written.
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "miss", greeting: "hello x" });
    expect(cacheFiles()).toHaveLength(1);
    chmodSync(join(cacheDir, "v8"), 0o700);
    expect(loadInChild(bundle, "backup", cacheDir).cache).toBe("hit");
  });

  (process.getuid?.() === 0 ? it : it.skip)("never runs cached code from a folder another user owns", () => {
    loadInChild(bundle, "backup", cacheDir);
    chownSync(join(cacheDir, "v8"), 12345, 12345);
    expect(privateDir(join(cacheDir, "v8"))).toBeUndefined();
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "miss", greeting: "hello x" });
    const other = join(root, "other");
    mkdirSync(other);
    chownSync(other, 12345, 12345);
    expect(privateDir(other)).toBeUndefined();
  });

  it("still runs when the cache folder cannot be written", () => {
    writeFileSync(cacheDir, "a file where the cache folder would go");
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "miss", greeting: "hello x" });
    expect(loadInChild(bundle, "backup", cacheDir).cache).toBe("miss");
    expect(readFileSync(cacheDir, "utf8")).toBe("a file where the cache folder would go");
  });

  it("loads a bundle that is not ASCII as UTF-8, and caches it like any other", () => {
    writeFileSync(bundle, "function greet(name) { return `h\u00e9llo ${name} \u2192 \u{1f5c2}`; }\nmodule.exports = { greet, re: /[\u00b9\u2018]/.test('\u2018') };\n");
    expect(readFileSync(bundle).some((b) => b > 0x7f)).toBe(true);
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "miss", greeting: "h\u00e9llo x \u2192 \u{1f5c2}" });
    expect(loadInChild(bundle, "backup", cacheDir)).toEqual({ cache: "hit", greeting: "h\u00e9llo x \u2192 \u{1f5c2}" });
    expect((loadWithCodeCache(bundle, "backup", undefined).exports as { re: boolean }).re).toBe(true);
  });

  it("makes missing parent folders, and gives up (never spins) where a parent that exists answers ENOENT", () => {
    const deep = join(root, "a", "b", "c", "v8");
    expect(privateDir(deep)).toBe(deep);
    expect(statSync(join(root, "a")).mode & 0o777).toBe(0o700);
    // Node 20's recursive mkdir loops forever on /proc, where mkdir of a new name answers ENOENT.
    if (process.platform === "linux") expect(privateDir("/proc/afb-no-such-folder/v8")).toBeUndefined();
  });

  it("keeps the code that ran at load in a cache saved after many full GCs (START_FLAGS), which V8 would otherwise drop", () => {
    // 300 functions that run once, at load, like the CLI's start-up code during a long full backup.
    const fns = Array.from({ length: 300 }, (_, i) => `function f${i}(x) { let s = 0; for (let k = 0; k < 3; k++) s += x * ${i} + k; return s; }`);
    writeFileSync(bundle, `${fns.join("\n")}\nlet total = 0;\n${fns.map((_, i) => `total += f${i}(${i});`).join("\n")}\nmodule.exports = { total };\n`);
    const savedAfterGcs = (flags: boolean, dir: string): number => {
      // Natural full GCs (V8 never drops bytecode in a forced gc()): short-lived objects, 40 rounds.
      const script = `const m = require(${JSON.stringify(loaderJs)});
${flags ? "m.applyStartFlags();" : ""}
const l = m.loadWithCodeCache(${JSON.stringify(bundle)}, "backup", ${JSON.stringify(dir)});
let keep = [];
for (let i = 0; i < 40; i++) { for (let j = 0; j < 300000; j++) keep.push({ a: j, b: [j] }); keep = []; }
l.save();`;
      execFileSync(process.execPath, ["-e", script]);
      const [file] = readdirSync(join(dir, "v8"));
      return statSync(join(dir, "v8", file)).size;
    };
    expect(START_FLAGS).toContain("--no-flush-bytecode");
    const kept = savedAfterGcs(true, join(root, "with-flags"));
    const dropped = savedAfterGcs(false, join(root, "without"));
    expect(kept).toBeGreaterThan(20 * dropped);
  }, 30_000);

  it("is refused at the next start when a V8 flag was set after the load (GC pacing), and used when it was set before as well", () => {
    const loadWith = (before: boolean, dir: string): string => {
      const script = `const m = require(${JSON.stringify(loaderJs)});
const v8 = require("node:v8");
${before ? 'v8.setFlagsFromString("--heap-growing-percent=200");' : ""}
const l = m.loadWithCodeCache(${JSON.stringify(bundle)}, "backup", ${JSON.stringify(dir)});
v8.setFlagsFromString("--heap-growing-percent=200");
process.stdout.write(l.cache);
l.save();`;
      return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
    };
    const late = join(root, "flag-late");
    expect([loadWith(false, late), loadWith(false, late), loadWith(false, late)]).toEqual(["miss", "rejected", "rejected"]);
    const early = join(root, "flag-early");
    expect([loadWith(true, early), loadWith(true, early), loadWith(true, early)]).toEqual(["miss", "hit", "hit"]);
  });

  it("reports a bundle that does not exist, naming it", () => {
    expect(() => loadWithCodeCache(join(root, "missing.js"), "backup", cacheDir)).toThrow(/missing\.js/);
  });

  it("keeps caches in the user's own folder, never a shared temporary one", () => {
    expect(codeCacheDir({ AFB_CODE_CACHE_DIR: "/srv/afb-cache" })).toBe("/srv/afb-cache");
    expect(codeCacheDir({ XDG_CACHE_HOME: "/home/u/.xdg" })).toBe(join("/home/u/.xdg", "afb"));
    expect(codeCacheDir({})).toMatch(/\.cache[/\\]afb$/);
  });
});
