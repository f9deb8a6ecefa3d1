/**
 * The bytes of a file: Put Range (update up to 4 MiB, or clear), Get File (whole or one range,
 * streamed from disk, never buffered), and Get Ranges (data ranges, or the exact diff against a
 * previous share snapshot from the per-file write epochs).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Errors } from "../errors";
import { header, send, startStream, type Ctx } from "../context";
import { intersect, subtract, union, clip, type Interval } from "../store/ranges";
import { element, XML_DECLARATION } from "../xml";
import { fileHeaders, readTime } from "./common";
import { readBody, type Env } from "./env";
import { openView } from "./view";

const MAX_PUT = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(MAX_PUT);

/** `bytes=s-e` or `bytes=s-` from x-ms-range (preferred) or Range; undefined when absent. */
function requestedRange(ctx: Ctx): { start: number; end?: number; raw: string } | undefined {
  const name = header(ctx, "x-ms-range") !== undefined ? "x-ms-range" : "range";
  const raw = header(ctx, name);
  if (raw === undefined || raw === "") return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(raw.trim());
  if (!m) throw Errors.invalidHeaderValue(name, raw);
  const start = Number(m[1]);
  const end = m[2] === "" ? undefined : Number(m[2]);
  if (end !== undefined && end < start) throw Errors.invalidHeaderValue(name, raw);
  return { start, end, raw };
}

export async function putRange(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const mode = (header(ctx, "x-ms-write") ?? "").toLowerCase();
  if (mode !== "update" && mode !== "clear") throw Errors.invalidHeaderValue("x-ms-write", header(ctx, "x-ms-write") ?? "");
  const range = requestedRange(ctx);
  if (!range || range.end === undefined) throw Errors.missingRequiredHeader("x-ms-range");
  const { start, end } = range;
  const length = end - start + 1;
  const declared = Number(header(ctx, "content-length") ?? "0");
  if (mode === "update" && length > MAX_PUT) throw Errors.requestBodyTooLarge();
  if (mode === "update" && declared !== length) throw Errors.invalidHeaderValue("Content-Length", String(declared));
  if (mode === "clear" && declared !== 0) throw Errors.invalidHeaderValue("Content-Length", String(declared));
  const body = mode === "update" ? await readBody(ctx.req, MAX_PUT).catch(() => { throw Errors.invalidInput("the body length differs from Content-Length"); }) : Buffer.alloc(0);
  if (mode === "update" && body.length !== length) throw Errors.invalidInput("the body is shorter than the range");
  // MD5 costs a third of the emulator's CPU per upload, so it is computed only to check one the client sent.
  const sentMd5 = header(ctx, "content-md5");
  const md5 = sentMd5 !== undefined ? createHash("md5").update(body).digest("base64") : undefined;
  if (sentMd5 !== undefined && sentMd5 !== md5) throw Errors.md5Mismatch();
  const store = env.account.get(share);
  const saved = await store.gate.withShared(async () => {
    const e = store.resolve(names);
    if (e.kind !== "f") throw Errors.resourceNotFound();
    if (end >= e.size) throw Errors.invalidRange();
    await store.preserve(e);
    const fh = await open(store.diskPath(e.id), "r+");
    try {
      if (mode === "update") await fh.write(body, 0, length, start);
      else for (let pos = start; pos <= end; pos += MAX_PUT) await fh.write(ZEROS, 0, Math.min(MAX_PUT, end + 1 - pos), pos);
    } finally {
      await fh.close();
    }
    // Re-read the record: other writes to the same file may have committed while this one awaited.
    const now = env.ticks.next().iso;
    const current = store.tree.get(e.id) ?? e;
    const next = store.contentChanged(current, [[start, end + 1]], mode === "clear", current.size, {
      // Put Range defaults to "now"; only an explicit "preserve" keeps the current last-write time.
      written: header(ctx, "x-ms-file-last-write-time")?.toLowerCase() === "preserve" ? current.written : readTime(ctx, "x-ms-file-last-write-time", now, now),
      changed: now,
    });
    store.commit([next]);
    return next;
  });
  const h: Record<string, string> = { ETag: saved.etag, "Last-Modified": new Date(saved.modifiedMs).toUTCString(), "x-ms-request-server-encrypted": "true", "x-ms-file-last-write-time": saved.written };
  if (md5) h["Content-MD5"] = md5;
  send(ctx, 201, h);
}

export async function download(ctx: Ctx, env: Env, share: string, names: readonly string[]): Promise<void> {
  const view = openView(ctx, env.account, share);
  const e = view.resolve(names);
  if (e.kind !== "f") throw Errors.resourceNotFound();
  const range = requestedRange(ctx);
  const headers = fileHeaders(e);
  let start = 0;
  let end = e.size - 1;
  let status = 200;
  if (range) {
    if (range.start >= e.size) throw Errors.invalidRange();
    start = range.start;
    end = Math.min(range.end ?? e.size - 1, e.size - 1);
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${end}/${e.size}`;
  } else if (e.http.contentMD5) {
    headers["Content-MD5"] = e.http.contentMD5;
  }
  const length = Math.max(0, end - start + 1);
  const path = view.snapshot ? view.store.contentPath(e) : view.store.diskPath(e.id);
  if (range && (header(ctx, "x-ms-range-get-content-md5") ?? "").toLowerCase() === "true") {
    if (length > MAX_PUT) throw Errors.invalidHeaderValue("x-ms-range-get-content-md5", "true");
    const fh = await open(path, "r");
    try {
      const buf = Buffer.alloc(length);
      await fh.read(buf, 0, length, start);
      headers["Content-MD5"] = createHash("md5").update(buf).digest("base64");
      send(ctx, status, { ...headers, "Content-Length": length }, buf);
    } finally {
      await fh.close();
    }
    return;
  }
  if (length === 0) return send(ctx, status, headers);
  // Open before answering so a missing file is still an error response, not a broken stream.
  const fh = await open(path, "r");
  startStream(ctx, status, { ...headers, "Content-Length": length });
  const stream = createReadStream("", { fd: fh, start, end, highWaterMark: 1024 * 1024 });
  stream.on("error", () => ctx.res.destroy());
  stream.pipe(ctx.res);
  // A client that stops reading (a ranged reader done early, a reset) closes the response first:
  // destroy the file stream then, so its handle is closed now rather than by the garbage collector.
  await new Promise<void>((resolve) => ctx.res.on("close", resolve));
  stream.destroy();
}

function rangesXml(ranges: readonly Interval[], clears: readonly Interval[]): string {
  const item = (tag: string, [s, e]: Interval) => `<${tag}>${element("Start", s)}${element("End", e - 1)}</${tag}>`;
  const all = [...ranges.map((r) => ({ r, tag: "Range" })), ...clears.map((r) => ({ r, tag: "ClearRange" }))].sort((a, b) => a.r[0] - b.r[0]);
  return `${XML_DECLARATION}<Ranges>${all.map((x) => item(x.tag, x.r)).join("")}</Ranges>`;
}

export function listRanges(ctx: Ctx, env: Env, share: string, names: readonly string[]): void {
  const view = openView(ctx, env.account, share);
  const e = view.resolve(names);
  if (e.kind !== "f") throw Errors.resourceNotFound();
  const range = requestedRange(ctx);
  const window: Interval[] = range ? [[range.start, Math.min((range.end ?? e.size - 1) + 1, e.size)]] : [[0, e.size]];
  let ranges = intersect(clip(e.data, e.size), window);
  let clears: Interval[] = [];
  const prevName = ctx.query.get("prevsharesnapshot");
  if (prevName !== undefined && prevName !== "") {
    const prev = view.store.snapshots.find(prevName);
    if (prev.seq >= view.seq) throw Errors.invalidQueryParameter("prevsharesnapshot", prevName);
    const before = view.store.snapshots.view(prevName).get(e.id);
    if (before) {
      const touched = e.epochs.filter((ep) => ep.after >= prev.seq && ep.after < view.seq).reduce<Interval[]>((acc, ep) => union(acc, ep.ranges), []);
      const inWindow = intersect(clip(touched, e.size), window);
      ranges = intersect(inWindow, e.data);
      clears = subtract(inWindow, e.data);
    }
  }
  send(ctx, 200, { ETag: e.etag, "Last-Modified": new Date(e.modifiedMs).toUTCString(), "x-ms-content-length": e.size }, rangesXml(ranges, clears), "application/xml");
}
