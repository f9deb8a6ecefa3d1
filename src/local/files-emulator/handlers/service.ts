/**
 * Account-level operations: List Shares (prefix, marker, maxresults, include=snapshots,metadata) and
 * Get/Set File Service Properties (accepted and answered with defaults: nothing here uses them).
 */
import { Errors } from "../errors";
import { send, type Ctx } from "../context";
import { rfc1123 } from "../time";
import { element, escapeXml, metadataXml, XML_DECLARATION } from "../xml";
import { readBody, type Env } from "./env";

interface ShareRow {
  readonly key: string; // sort key and marker: name, then snapshot
  readonly xml: string;
}

export function maxResultsOf(ctx: Ctx): number {
  const raw = ctx.query.get("maxresults");
  if (raw === undefined) return 5000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw Errors.invalidQueryParameter("maxresults", raw);
  return Math.min(n, 5000);
}

function listShares(ctx: Ctx, env: Env): void {
  const include = (ctx.query.get("include") ?? "").toLowerCase().split(",").map((s) => s.trim());
  const prefix = ctx.query.get("prefix") ?? "";
  const marker = ctx.query.get("marker") ?? "";
  const max = maxResultsOf(ctx);
  const rows: ShareRow[] = [];
  for (const name of env.account.shareNames()) {
    if (!name.startsWith(prefix)) continue;
    const store = env.account.get(name);
    const props = (ms: number, etag: string) =>
      `<Properties>${element("Last-Modified", rfc1123(ms))}${element("Etag", etag)}${element("Quota", store.props.quota)}</Properties>`;
    const meta = (m: Readonly<Record<string, string>>) => (include.includes("metadata") ? metadataXml(m) : "");
    if (include.includes("snapshots")) {
      for (const s of store.snapshots.list()) {
        rows.push({ key: `${name}\u0001${s.name}`, xml: `<Share>${element("Name", name)}${element("Snapshot", s.name)}${props(s.createdMs, s.etag)}${meta(s.meta)}</Share>` });
      }
    }
    rows.push({ key: `${name}\u0002`, xml: `<Share>${element("Name", name)}${props(store.props.modifiedMs, store.props.etag)}${meta(store.props.meta)}</Share>` });
  }
  const start = marker === "" ? 0 : rows.findIndex((r) => r.key >= Buffer.from(marker, "base64url").toString("utf8"));
  const page = start < 0 ? [] : rows.slice(start, start + max);
  const next = start >= 0 && start + max < rows.length ? Buffer.from(rows[start + max].key, "utf8").toString("base64url") : "";
  const xml =
    `${XML_DECLARATION}<EnumerationResults ServiceEndpoint="${escapeXml(env.url)}/">` +
    (ctx.query.has("prefix") ? element("Prefix", prefix) : "") +
    (ctx.query.has("marker") ? element("Marker", marker) : "") +
    (ctx.query.has("maxresults") ? element("MaxResults", max) : "") +
    `<Shares>${page.map((r) => r.xml).join("")}</Shares>` +
    (next ? element("NextMarker", next) : "<NextMarker />") +
    `</EnumerationResults>`;
  send(ctx, 200, {}, xml, "application/xml");
}

const SERVICE_PROPERTIES =
  `${XML_DECLARATION}<StorageServiceProperties>` +
  `<HourMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></HourMetrics>` +
  `<MinuteMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></MinuteMetrics>` +
  `<Cors /></StorageServiceProperties>`;

/** Dispatches requests on the account itself. */
export async function handleService(ctx: Ctx, env: Env): Promise<void> {
  const comp = ctx.query.get("comp");
  if (ctx.method === "GET" && comp === "list") return listShares(ctx, env);
  if (ctx.query.get("restype") === "service" && comp === "properties") {
    if (ctx.method === "GET") return send(ctx, 200, {}, SERVICE_PROPERTIES, "application/xml");
    if (ctx.method === "PUT") {
      await readBody(ctx.req, 64 * 1024);
      return send(ctx, 202);
    }
  }
  throw Errors.invalidQueryParameter("comp", comp ?? "");
}
