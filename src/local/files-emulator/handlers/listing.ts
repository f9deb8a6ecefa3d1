/**
 * List Directories and Files: one directory's children (files and directories intermingled in lexical
 * order), prefix, opaque marker, maxresults up to 5,000, include=Timestamps,Etag,Attributes,PermissionKey
 * (case-insensitive), x-ms-file-extended-info, FileId on every entry, Encoded names. `<Entries>` is
 * always present and the last page ends with an empty `<NextMarker />`, as the SDK expects.
 */
import { Errors } from "../errors";
import { send, type Ctx } from "../context";
import type { Entry } from "../store/entry";
import { rfc1123 } from "../time";
import { element, encodedElement, escapeXml, needsEncoding, XML_DECLARATION } from "../xml";
import type { Env } from "./env";
import { maxResultsOf } from "./service";
import { openView } from "./view";

const INCLUDES = new Set(["timestamps", "etag", "attributes", "permissionkey"]);

function includesOf(ctx: Ctx): Set<string> {
  const raw = ctx.query.get("include");
  const out = new Set<string>();
  if (raw === undefined || raw === "") return out;
  for (const part of raw.split(",").map((p) => p.trim().toLowerCase())) {
    if (!INCLUDES.has(part)) throw Errors.invalidQueryParameter("include", raw);
    out.add(part);
  }
  return out;
}

/** FileId is sent on every entry (all versions since 2020-10-02 do; x-ms-file-extended-info only adds fresh sizes). */
function entryXml(e: Entry, inc: Set<string>): string {
  let props = e.kind === "f" ? element("Content-Length", e.size) : "";
  if (inc.has("timestamps")) {
    props +=
      element("CreationTime", e.created) + element("LastAccessTime", e.written) + element("LastWriteTime", e.written) +
      element("ChangeTime", e.changed) + element("Last-Modified", rfc1123(e.modifiedMs));
  }
  if (inc.has("etag")) props += element("Etag", e.etag);
  const tag = e.kind === "f" ? "File" : "Directory";
  return (
    `<${tag}>${encodedElement("Name", e.name)}` +
    element("FileId", e.id) +
    (props ? `<Properties>${props}</Properties>` : "<Properties />") +
    (inc.has("attributes") ? element("Attributes", e.attrs) : "") +
    (inc.has("permissionkey") ? element("PermissionKey", e.permKey) : "") +
    `</${tag}>`
  );
}

function decodeMarker(marker: string): string {
  const name = Buffer.from(marker, "base64url").toString("utf8");
  if (name === "" || Buffer.from(name, "utf8").toString("base64url") !== marker) throw Errors.invalidQueryParameter("marker", marker);
  return name;
}

export function listDirectory(ctx: Ctx, env: Env, share: string, names: readonly string[]): void {
  const view = openView(ctx, env.account, share);
  const dir = view.resolve(names);
  if (dir.kind !== "d") throw Errors.resourceNotFound();
  const inc = includesOf(ctx);
  const prefix = ctx.query.get("prefix") ?? "";
  const marker = ctx.query.get("marker");
  const max = maxResultsOf(ctx);
  let kids = view.children(dir.id);
  if (prefix) kids = kids.filter((n) => n.startsWith(prefix));
  let start = 0;
  if (marker) {
    const from = decodeMarker(marker);
    start = kids.findIndex((n) => n >= from);
    if (start < 0) start = kids.length;
  }
  const page = kids.slice(start, start + max);
  const next = start + max < kids.length ? Buffer.from(kids[start + max], "utf8").toString("base64url") : "";
  const parts: string[] = [];
  for (const name of page) {
    const e = view.tree.child(dir.id, name);
    if (e) parts.push(entryXml(e, inc));
  }
  const snapAttr = view.snapshot ? ` ShareSnapshot="${escapeXml(view.snapshot.name)}"` : "";
  const path = names.join("/");
  const pathAttr = needsEncoding(path) ? ` Encoded="true" DirectoryPath="${encodeURIComponent(path)}"` : ` DirectoryPath="${escapeXml(path)}"`;
  const xml =
    `${XML_DECLARATION}<EnumerationResults ServiceEndpoint="${escapeXml(env.url)}/" ShareName="${escapeXml(share)}"${snapAttr}${pathAttr}>` +
    (ctx.query.has("marker") ? element("Marker", marker ?? "") : "") +
    (ctx.query.has("prefix") ? encodedElement("Prefix", prefix) : "") +
    (ctx.query.has("maxresults") ? element("MaxResults", max) : "") +
    element("DirectoryId", dir.id) +
    `<Entries>${parts.join("")}</Entries>` +
    (next ? element("NextMarker", next) : "<NextMarker />") +
    `</EnumerationResults>`;
  send(ctx, 200, { "Content-Type": "application/xml" }, xml);
}
