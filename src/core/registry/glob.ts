/**
 * Include/exclude patterns of a share: globs over paths relative to the share root, `/`-separated.
 * Syntax: `*` (any characters within one name), `?` (one character), `[abc]` `[a-z]` `[!a]` (one
 * character of a set), `{a,b}` (alternatives, not nested), `**` (any number of whole directories; only
 * as a whole segment). A pattern without `/` matches a name at any depth (`*.tmp`); one with `/`
 * matches from the share root (a leading `/` is allowed and means the same).
 * Guarantees: `compileGlob` refuses what it cannot match exactly (unbalanced brackets or braces, `**`
 * inside a name, `.`/`..` segments, backslashes, control characters, empty segments) with the reason.
 */

export const MAX_PATTERN_LENGTH = 1024;

/** A pattern that cannot be used; `message` says why. */
export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GlobError";
  }
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** One path segment (no `/`) as a regular expression source. */
function segmentSource(segment: string): string {
  let out = "";
  let inBraces = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === "*") {
      if (segment[i + 1] === "*") throw new GlobError("'**' must be a whole path segment (like a/**/b)");
      out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) throw new GlobError("'[' has no matching ']'");
      let body = segment.slice(i + 1, end);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      if (body.length === 0) throw new GlobError("a character set '[...]' is empty");
      out += `[${negate ? "^/" : ""}${body.replace(/[\\\]^]/g, (x) => `\\${x}`)}]`;
      i = end;
    } else if (c === "{") {
      if (inBraces) throw new GlobError("'{' cannot be nested");
      inBraces = true;
      out += "(?:";
    } else if (c === "}") {
      if (!inBraces) throw new GlobError("'}' has no matching '{'");
      inBraces = false;
      out += ")";
    } else if (c === "," && inBraces) out += "|";
    else if (c === "]") throw new GlobError("']' has no matching '['");
    else out += escapeRegex(c);
  }
  if (inBraces) throw new GlobError("'{' has no matching '}'");
  return out;
}

/** Checks a pattern and compiles it to a matcher of relative paths ("dir/sub/file.txt"). */
export function compileGlob(pattern: string): RegExp {
  if (typeof pattern !== "string" || pattern.length === 0) throw new GlobError("a pattern must be a non-empty string");
  if (pattern.length > MAX_PATTERN_LENGTH) throw new GlobError(`a pattern has at most ${MAX_PATTERN_LENGTH} characters`);
  if ([...pattern].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new GlobError("a pattern cannot hold control characters");
  if (pattern.includes("\\")) throw new GlobError("use '/' to separate directories; '\\' is not allowed");
  const anchored = pattern.includes("/");
  const segments = pattern.replace(/^\//, "").split("/");
  if (segments.some((s) => s.length === 0)) throw new GlobError("a pattern cannot have empty segments ('//' or a trailing '/')");
  if (segments.some((s) => s === "." || s === "..")) throw new GlobError("a pattern cannot have '.' or '..' segments");
  const parts: string[] = [];
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") parts.push(last ? ".*" : "(?:[^/]+/)*");
    else parts.push(segmentSource(segment) + (last ? "" : "/"));
  });
  const body = parts.join("");
  return new RegExp(anchored ? `^${body}$` : `^(?:[^/]+/)*${body}$`);
}

/** Whether `path` (relative, `/`-separated) matches any of the patterns. */
export function matchesAny(patterns: readonly string[], path: string): boolean {
  return patterns.some((p) => compileGlob(p).test(path));
}
