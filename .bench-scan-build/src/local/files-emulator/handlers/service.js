"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.maxResultsOf = maxResultsOf;
exports.handleService = handleService;
/**
 * Account-level operations: List Shares (prefix, marker, maxresults, include=snapshots,metadata) and
 * Get/Set File Service Properties (accepted and answered with defaults: nothing here uses them).
 */
const errors_1 = require("../errors");
const context_1 = require("../context");
const time_1 = require("../time");
const xml_1 = require("../xml");
const env_1 = require("./env");
function maxResultsOf(ctx) {
    const raw = ctx.query.get("maxresults");
    if (raw === undefined)
        return 5000;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0)
        throw errors_1.Errors.invalidQueryParameter("maxresults", raw);
    return Math.min(n, 5000);
}
function listShares(ctx, env) {
    const include = (ctx.query.get("include") ?? "").toLowerCase().split(",").map((s) => s.trim());
    const prefix = ctx.query.get("prefix") ?? "";
    const marker = ctx.query.get("marker") ?? "";
    const max = maxResultsOf(ctx);
    const rows = [];
    for (const name of env.account.shareNames()) {
        if (!name.startsWith(prefix))
            continue;
        const store = env.account.get(name);
        const props = (ms, etag) => `<Properties>${(0, xml_1.element)("Last-Modified", (0, time_1.rfc1123)(ms))}${(0, xml_1.element)("Etag", etag)}${(0, xml_1.element)("Quota", store.props.quota)}</Properties>`;
        const meta = (m) => (include.includes("metadata") ? (0, xml_1.metadataXml)(m) : "");
        if (include.includes("snapshots")) {
            for (const s of store.snapshots.list()) {
                rows.push({ key: `${name}\u0001${s.name}`, xml: `<Share>${(0, xml_1.element)("Name", name)}${(0, xml_1.element)("Snapshot", s.name)}${props(s.createdMs, s.etag)}${meta(s.meta)}</Share>` });
            }
        }
        rows.push({ key: `${name}\u0002`, xml: `<Share>${(0, xml_1.element)("Name", name)}${props(store.props.modifiedMs, store.props.etag)}${meta(store.props.meta)}</Share>` });
    }
    const start = marker === "" ? 0 : rows.findIndex((r) => r.key >= Buffer.from(marker, "base64url").toString("utf8"));
    const page = start < 0 ? [] : rows.slice(start, start + max);
    const next = start >= 0 && start + max < rows.length ? Buffer.from(rows[start + max].key, "utf8").toString("base64url") : "";
    const xml = `${xml_1.XML_DECLARATION}<EnumerationResults ServiceEndpoint="${(0, xml_1.escapeXml)(env.url)}/">` +
        (ctx.query.has("prefix") ? (0, xml_1.element)("Prefix", prefix) : "") +
        (ctx.query.has("marker") ? (0, xml_1.element)("Marker", marker) : "") +
        (ctx.query.has("maxresults") ? (0, xml_1.element)("MaxResults", max) : "") +
        `<Shares>${page.map((r) => r.xml).join("")}</Shares>` +
        (next ? (0, xml_1.element)("NextMarker", next) : "<NextMarker />") +
        `</EnumerationResults>`;
    (0, context_1.send)(ctx, 200, {}, xml, "application/xml");
}
const SERVICE_PROPERTIES = `${xml_1.XML_DECLARATION}<StorageServiceProperties>` +
    `<HourMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></HourMetrics>` +
    `<MinuteMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></MinuteMetrics>` +
    `<Cors /></StorageServiceProperties>`;
/** Dispatches requests on the account itself. */
async function handleService(ctx, env) {
    const comp = ctx.query.get("comp");
    if (ctx.method === "GET" && comp === "list")
        return listShares(ctx, env);
    if (ctx.query.get("restype") === "service" && comp === "properties") {
        if (ctx.method === "GET")
            return (0, context_1.send)(ctx, 200, {}, SERVICE_PROPERTIES, "application/xml");
        if (ctx.method === "PUT") {
            await (0, env_1.readBody)(ctx.req, 64 * 1024);
            return (0, context_1.send)(ctx, 202);
        }
    }
    throw errors_1.Errors.invalidQueryParameter("comp", comp ?? "");
}
//# sourceMappingURL=service.js.map