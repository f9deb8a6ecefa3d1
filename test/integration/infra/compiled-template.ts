/**
 * Loads the ARM JSON that `npm run infra:check` compiles from infra/main.bicep, building it first (with
 * `scripts/infra-check.sh --build-only`) when it is missing or older than any file under infra/, so
 * `npm test` alone also checks the current templates. Also gives the small lookups the template tests
 * need: resources by symbolic name, nested module templates, and the values of simple expressions
 * (`[variables('x').y]`, `[parameters('p')]`) inside one template.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..", "..");
export const COMPILED = join(ROOT, ".tools", "infra", "main.json");

export interface ArmResource {
  readonly type: string;
  readonly name?: string;
  readonly existing?: boolean;
  readonly condition?: unknown;
  readonly copy?: { readonly name: string; readonly count: unknown };
  readonly scope?: string;
  readonly resourceGroup?: string;
  readonly subscriptionId?: string;
  readonly properties?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface ArmParameter {
  readonly type: string;
  readonly defaultValue?: unknown;
  readonly allowedValues?: unknown[];
  readonly metadata?: { readonly description?: string };
}

export interface ArmTemplate {
  readonly parameters?: Record<string, ArmParameter>;
  readonly variables?: Record<string, unknown>;
  /** An array (languageVersion 1.0) or symbolic name -> resource (languageVersion 2.0). */
  readonly resources: ArmResource[] | Record<string, ArmResource>;
  readonly outputs?: Record<string, { readonly type: string; readonly value: unknown }>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The compiled main template, rebuilt first when stale. */
export function loadCompiledTemplate(): ArmTemplate {
  const fresh = existsSync(COMPILED) && statSync(COMPILED).mtimeMs >= newestMtime(join(ROOT, "infra"));
  if (!fresh) {
    try {
      execFileSync("bash", [join(ROOT, "scripts", "infra-check.sh"), "--build-only"], { cwd: ROOT, stdio: "pipe", encoding: "utf8" });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`building infra/main.bicep failed (scripts/infra-check.sh --build-only):\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
    }
  }
  return JSON.parse(readFileSync(COMPILED, "utf8")) as ArmTemplate;
}

/** [symbolic name or index, resource] of one template's own resources (not nested ones). */
export function resourcesOf(template: ArmTemplate): Array<[string, ArmResource]> {
  const r = template.resources;
  return Array.isArray(r) ? r.map((res, i) => [String(i), res]) : Object.entries(r);
}

/** A resource by its Bicep symbolic name (languageVersion 2.0 templates, such as main). */
export function resource(template: ArmTemplate, symbolicName: string): ArmResource {
  const found = resourcesOf(template).find(([name]) => name === symbolicName);
  if (found === undefined) throw new Error(`no resource '${symbolicName}' in the template (have: ${resourcesOf(template).map(([n]) => n).join(", ")})`);
  return found[1];
}

/**
 * The one resource of `type` (whose name expression contains `nameIncludes`, when given) in a template;
 * module templates compiled as languageVersion 1.0 have no symbolic names, so tests find them this way.
 */
export function one(template: ArmTemplate, type: string, nameIncludes?: string): ArmResource {
  const found = resourcesOf(template)
    .map(([, r]) => r)
    .filter((r) => r.type === type && (nameIncludes === undefined || (r.name ?? "").includes(nameIncludes)));
  if (found.length !== 1) throw new Error(`expected one ${type}${nameIncludes ? ` named like ${nameIncludes}` : ""}, found ${found.length}`);
  return found[0];
}

/** The template a module (Microsoft.Resources/deployments) deploys. */
export function moduleTemplate(module: ArmResource): ArmTemplate {
  if (module.type !== "Microsoft.Resources/deployments") throw new Error(`${module.name} is a ${module.type}, not a module`);
  return (module.properties as { template: ArmTemplate }).template;
}

/** The value a module passes for one of its parameters (often an expression string). */
export function moduleParam(module: ArmResource, name: string): unknown {
  const params = (module.properties as { parameters: Record<string, { value: unknown }> }).parameters;
  if (!(name in params)) throw new Error(`module ${module.name} passes no parameter '${name}'`);
  return params[name].value;
}

/** Every resource of the template and of all templates nested in it, depth first. */
export function allResources(template: ArmTemplate): Array<{ resource: ArmResource; template: ArmTemplate }> {
  const out: Array<{ resource: ArmResource; template: ArmTemplate }> = [];
  for (const [, res] of resourcesOf(template)) {
    out.push({ resource: res, template });
    if (res.type === "Microsoft.Resources/deployments") out.push(...allResources(moduleTemplate(res)));
  }
  return out;
}

/** Every template: the main one and each module's, depth first. */
export function allTemplates(template: ArmTemplate): ArmTemplate[] {
  const nested = resourcesOf(template)
    .filter(([, r]) => r.type === "Microsoft.Resources/deployments")
    .flatMap(([, r]) => allTemplates(moduleTemplate(r)));
  return [template, ...nested];
}

/**
 * Resolves `[variables('v')]`, `[variables('v').a.b]` and `[parameters('p')]` (its default) within one
 * template, recursively through objects and arrays; any other expression is returned as written.
 */
export function resolve(template: ArmTemplate, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(template, v));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(template, v)]));
  }
  if (typeof value !== "string") return value;
  const variable = /^\[variables\('([^']+)'\)((?:\.[A-Za-z0-9_]+)*)\]$/.exec(value);
  if (variable) {
    let v: unknown = template.variables?.[variable[1]];
    for (const key of variable[2].split(".").filter(Boolean)) v = (v as Record<string, unknown> | undefined)?.[key];
    if (v === undefined) throw new Error(`cannot resolve ${value}`);
    return resolve(template, v);
  }
  const parameter = /^\[parameters\('([^']+)'\)\]$/.exec(value);
  if (parameter && template.parameters?.[parameter[1]]?.defaultValue !== undefined) {
    return resolve(template, template.parameters[parameter[1]].defaultValue);
  }
  return value;
}
