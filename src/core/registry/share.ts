/**
 * The share registry's model: one registered Azure Files share, what it may hold, and the schemas
 * (zod, pure) that check a registration before anything is stored. Guarantees: a `Share` that passed
 * `parseRegistration` has an id usable as a node-index partition key part AND a repository share key,
 * a parseable 5-field schedule, compilable patterns, and no secret anywhere (keys, SAS and connection
 * strings are refused, naming the field, never echoing the value). Auth never holds a secret: either
 * the app's managed identity, or the NAME of an app setting that holds the connection string.
 */
import { z } from "zod";
import { SHARE_ID_PATTERN } from "../ports/node-index";
import { SHARE_KEY } from "../repository/codec-manifest";
import { CronError, parseCron } from "./cron";
import { GlobError, compileGlob } from "./glob";
import { findSecretField, secretRefusal } from "./secrets";

/** Lowercase letters, digits, `.` and `-`, 1-64, starting and ending with a letter or digit, no `..`. */
export const SHARE_REGISTRY_ID = /^[a-z0-9](?:[a-z0-9.-]{0,62}[a-z0-9])?$/;

/** Settings a registration may name: the product's AFB_FILES, or one made for shares (AFB_SHARE_*). */
export const SHARE_SETTING_NAME = /^(AFB_FILES|AFB_SHARE_[A-Za-z0-9_]{1,100})$/;

export const MAX_PATTERNS = 100;

export const DEFAULT_RETENTION = { keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 0 } as const;

export function isValidShareId(id: string): boolean {
  return SHARE_REGISTRY_ID.test(id) && !id.includes("..") && SHARE_ID_PATTERN.test(id) && SHARE_KEY.test(id);
}

/** A type error message that says "is required" when the field is missing. */
const typed = (message: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message) });

const shareId = z
  .string(typed("must be a string"))
  .refine(isValidShareId, { error: "must be 1-64 lowercase letters, digits, '.' or '-', start and end with a letter or digit, and not contain '..'" });

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function accountProblem(account: string): string | undefined {
  if (/^[a-z0-9]{3,24}$/.test(account)) return undefined;
  if (!/^https?:\/\//i.test(account)) return "must be a storage account name (3-24 lowercase letters and digits) or a file service URL (https://<account>.file.core.windows.net)";
  let url: URL;
  try {
    url = new URL(account);
  } catch {
    return "is not a valid URL";
  }
  if (url.username !== "" || url.password !== "") return "must not hold a user name or password";
  if (url.search !== "" || url.hash !== "" || account.includes("?")) return "must not have a query string or fragment (no SAS: use auth)";
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) return "must use https (http only for a local emulator on 127.0.0.1 or localhost)";
  if (url.pathname.split("/").filter((p) => p.length > 0).length > 1) return "must be the file service URL (at most an account segment for path-style emulator URLs), not a share or file URL";
  return undefined;
}

const account = z
  .string(typed("must be a string"))
  .max(2048, { error: "must be at most 2048 characters" })
  .superRefine((v, ctx) => {
    const problem = accountProblem(v);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

const shareName = z
  .string(typed("must be a string"))
  .regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, { error: "must be an Azure file share name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit" });

const auth = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({
      mode: z.literal("managedidentity"),
      clientId: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, { error: "must be the client id (a GUID) of a user-assigned managed identity" }).optional(),
    }),
    z.strictObject({
      mode: z.literal("connectionstring-setting"),
      setting: z.string(typed("must be the name of an app setting")).regex(SHARE_SETTING_NAME, { error: "must name an app setting AFB_FILES or AFB_SHARE_<NAME> (letters, digits, _) that holds the connection string; never the connection string itself" }),
    }),
  ],
  { error: "must be \"managedidentity\" or \"connectionstring-setting\"" },
);

const schedule = z.string(typed("must be a string")).superRefine((v, ctx) => {
  try {
    parseCron(v);
  } catch (err) {
    if (!(err instanceof CronError)) throw err;
    ctx.addIssue({ code: "custom", message: `is not a 5-field cron expression (minute hour day-of-month month day-of-week, UTC): ${err.message}` });
  }
});

const keep = (d: number) => z.number(typed("must be a whole number from 0 to 10000")).int({ error: "must be a whole number from 0 to 10000" }).min(0, { error: "must be a whole number from 0 to 10000" }).max(10000, { error: "must be a whole number from 0 to 10000" }).default(d);

const retention = z
  .strictObject({ keepDaily: keep(DEFAULT_RETENTION.keepDaily), keepWeekly: keep(DEFAULT_RETENTION.keepWeekly), keepMonthly: keep(DEFAULT_RETENTION.keepMonthly), keepYearly: keep(DEFAULT_RETENTION.keepYearly) })
  .prefault({});

const pattern = z.string(typed("must be a string")).superRefine((v, ctx) => {
  try {
    compileGlob(v);
  } catch (err) {
    if (!(err instanceof GlobError)) throw err;
    ctx.addIssue({ code: "custom", message: `is not a valid pattern: ${err.message}` });
  }
});

const patterns = z.array(pattern, typed("must be an array of glob patterns")).max(MAX_PATTERNS, { error: `holds at most ${MAX_PATTERNS} patterns` }).default([]);

/** What a client sends to register a share (POST /api/shares). */
export const ShareRegistrationSchema = z.strictObject({
  id: shareId,
  account,
  shareName,
  auth,
  schedule,
  retention,
  include: patterns,
  exclude: patterns,
  enabled: z.boolean(typed("must be true or false")).default(true),
});

const isoTime = z.iso.datetime({ error: "must be an ISO 8601 UTC time" });

/** A share as the registry stores it. */
export const ShareSchema = ShareRegistrationSchema.extend({ createdAt: isoTime, lastScheduledRun: isoTime.optional() });

export type ShareRegistration = z.infer<typeof ShareRegistrationSchema>;
export type Share = z.infer<typeof ShareSchema>;
export type ShareAuth = Share["auth"];
export type Retention = Share["retention"];

/** One problem with an input: the field's path (`auth.setting`, `include[2]`) and what is wrong. */
export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly FieldIssue[] };

function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out === "" ? String(p) : `${out}.${String(p)}`), "");
}

/** zod issues as field + reason, without the offending values. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ field: field === "" ? key : `${field}.${key}`, reason: "is not a known field" });
      continue;
    }
    const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
    out.push({ field: field === "" ? "(body)" : field, reason: missing ? "is required" : issue.message.replace(/^Invalid input: /, "") });
  }
  return out;
}

/** Checks untrusted input against `schema`, refusing secrets first (without echoing them). */
export function parseUntrusted<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.infer<S>> {
  const secret = findSecretField(input);
  if (secret !== undefined) return { ok: false, issues: [{ field: secret, reason: secretRefusal() }] };
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: fieldIssues(result.error) };
}

/** Checks a registration; `createdAt` (ISO) comes from the caller's injected clock. */
export function parseRegistration(input: unknown, createdAt: string): Parsed<Share> {
  const parsed = parseUntrusted(ShareRegistrationSchema, input);
  return parsed.ok ? { ok: true, value: { ...parsed.value, createdAt } } : parsed;
}

/** One line naming every problem: "schedule: is not ...; auth.setting: is required". */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.reason}`).join("; ");
}
