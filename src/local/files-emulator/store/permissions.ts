/**
 * Security descriptors (SDDL) by permission key, per share. The key is derived from the SDDL text
 * (SHA-256, shown in Azure's `<u64>*<u64>` form), so the same SDDL always gets the same key, across
 * restarts too; the key -> SDDL map is an append-only JSON-lines file.
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Errors } from "../errors";

/** What new shares' roots carry: owner/group BUILTIN\Administrators, full control for everyone. */
export const DEFAULT_SDDL = "O:BAG:SYD:(A;OICI;FA;;;WD)(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)";
const MAX_SDDL_BYTES = 8 * 1024;

export function permissionKeyOf(sddl: string): string {
  const h = createHash("sha256").update(sddl, "utf8").digest();
  return `${h.readBigUInt64BE(0)}*${h.readBigUInt64BE(8)}`;
}

/** A light SDDL check: the owner/group/DACL/SACL parts in order, printable, at most 8 KiB. */
export function validateSddl(sddl: string): void {
  const ok =
    Buffer.byteLength(sddl, "utf8") <= MAX_SDDL_BYTES &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001F]/.test(sddl) &&
    /^(O:[^:()]+?)?(G:[^:()]+?)?(D:[A-Z]*(\([^()]*\))*)?(S:[A-Z]*(\([^()]*\))*)?$/.test(sddl) &&
    /^(O:|G:|D:|S:)/.test(sddl);
  if (!ok) throw Errors.fileInvalidPermission();
}

export class PermissionStore {
  private readonly byKey = new Map<string, string>();
  private readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, "permissions.jsonl");
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, "utf8").split("\n")) {
        if (!line) continue;
        try {
          const { k, p } = JSON.parse(line) as { k: string; p: string };
          this.byKey.set(k, p);
        } catch {
          // torn tail of an interrupted append
        }
      }
    }
    this.add(DEFAULT_SDDL);
  }

  /** Stores an SDDL (validated) and returns its key. */
  add(sddl: string): string {
    validateSddl(sddl);
    const key = permissionKeyOf(sddl);
    if (!this.byKey.has(key)) {
      this.byKey.set(key, sddl);
      appendFileSync(this.file, JSON.stringify({ k: key, p: sddl }) + "\n");
    }
    return key;
  }

  get(key: string): string {
    const sddl = this.byKey.get(key);
    if (sddl === undefined) throw Errors.permissionNotFound();
    return sddl;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }
}
