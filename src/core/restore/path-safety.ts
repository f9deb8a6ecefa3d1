/**
 * Which names a restore may write. A name from a snapshot is one path segment: never empty, "." or
 * "..", never holding a "/" or a NUL, so joining names can only ever go down from the target's root.
 * SMB targets also refuse what Windows cannot hold: "\" and the other reserved characters, control
 * characters, the device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension) and
 * names ending in a dot or a space. A refused name is an error naming the path; nothing is ever
 * renamed silently. Names longer than 255 UTF-16 units (SMB) or 255 bytes (POSIX) are refused too.
 */
import type { NameRules } from "../ports/share-writer";

// eslint-disable-next-line no-control-regex -- control characters are exactly what SMB refuses
const SMB_RESERVED_CHARS = /[\\/:*?"<>|\u0000-\u001f]/;
const DEVICE_NAMES = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i;

/** Why `name` cannot be written to a target with `rules`, or undefined when it can. */
export function nameProblem(name: string, rules: NameRules): string | undefined {
  if (typeof name !== "string" || name === "") return "an empty name";
  if (name === "." || name === "..") return `the name ${JSON.stringify(name)} would leave its directory`;
  if (name.includes("/")) return "a name containing '/' (a path separator)";
  if (name.includes("\u0000")) return "a name containing a NUL character";
  if (rules === "posix") {
    if (Buffer.byteLength(name, "utf8") > 255) return "a name longer than 255 bytes, which a Linux file system cannot hold";
    return undefined;
  }
  const bad = SMB_RESERVED_CHARS.exec(name);
  if (bad !== null) return `a name containing ${JSON.stringify(bad[0])}, which SMB reserves`;
  if (DEVICE_NAMES.test(name.split(".")[0].trimEnd())) return "a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9)";
  if (/[. ]$/.test(name)) return "a name ending in a dot or a space, which Windows clients cannot open";
  if (name.length > 255) return "a name longer than 255 characters, which SMB cannot hold";
  return undefined;
}

/** Joins a checked name below a checked directory path ("" = root). */
export function childPath(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/** How names collide on the target: SMB is case-insensitive, POSIX compares exact bytes. */
export function collisionKey(name: string, rules: NameRules): string {
  return rules === "smb" ? name.toUpperCase() : name;
}

/**
 * Splits a PATH argument ("docs/a.txt", "/docs/", "" = everything) into segments; refuses "." and ".."
 * segments and NUL so a selection names exactly one node of the snapshot.
 */
export function parseSelectionPath(raw: string): string[] {
  if (raw.includes("\u0000")) throw new Error(`restore path ${JSON.stringify(raw)} contains a NUL character`);
  const segments = raw.split("/").filter((s) => s !== "");
  for (const s of segments) {
    if (s === "." || s === "..") throw new Error(`restore path ${JSON.stringify(raw)} contains "${s}": name paths from the share root, e.g. docs/report.pdf`);
  }
  return segments;
}
