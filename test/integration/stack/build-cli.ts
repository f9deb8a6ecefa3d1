/**
 * Builds the `afb` CLI as `npm run build` does (tsc of src/cli/main.ts and everything it imports, then
 * scripts/bundle-cli.js into dist/afb.js) into a private folder under .afb/ of the checkout, with a copy
 * of bin/afb.js beside it, so a test runs the real `node bin/afb.js`, bundle and code cache included,
 * without touching the checkout's dist/. Being inside the checkout, the build finds node_modules.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..", "..");

export interface BuiltCli {
  /** Path of the copied bin/afb.js, which loads ../dist/afb.js. */
  readonly bin: string;
  remove(): void;
}

/** Builds the CLI; type errors elsewhere in the tree do not stop the emit, a missing main.js does. */
export function buildCli(): BuiltCli {
  const buildRoot = join(REPO_ROOT, ".afb");
  mkdirSync(buildRoot, { recursive: true });
  const dir = mkdtempSync(join(buildRoot, "cli-build-"));
  const up = relative(dir, REPO_ROOT).split("\\").join("/");
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: `${up}/tsconfig.build.json`,
      compilerOptions: { outDir: "dist", rootDir: up, sourceMap: false },
      files: [`${up}/src/cli/main.ts`, `${up}/src/cli/code-cache.ts`],
      include: [],
    }),
  );
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { stdio: "pipe" });
  } catch (err) {
    if (!existsSync(join(dir, "dist", "src", "cli", "main.js"))) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`tsc did not build the CLI: ${String((err as { stdout?: Buffer }).stdout ?? err)}`);
    }
  }
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, "scripts", "bundle-cli.js"), join(dir, "dist", "src", "cli", "main.js"), join(dir, "dist", "afb.js")], { stdio: "pipe" });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the CLI bundle failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  mkdirSync(join(dir, "bin"));
  const bin = join(dir, "bin", "afb.js");
  copyFileSync(join(REPO_ROOT, "bin", "afb.js"), bin);
  return { bin, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
