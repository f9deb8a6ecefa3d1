"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PermissionStore = exports.DEFAULT_SDDL = void 0;
exports.permissionKeyOf = permissionKeyOf;
exports.validateSddl = validateSddl;
/**
 * Security descriptors (SDDL) by permission key, per share. The key is derived from the SDDL text
 * (SHA-256, shown in Azure's `<u64>*<u64>` form), so the same SDDL always gets the same key, across
 * restarts too; the key -> SDDL map is an append-only JSON-lines file.
 */
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
/** What new shares' roots carry: owner/group BUILTIN\Administrators, full control for everyone. */
exports.DEFAULT_SDDL = "O:BAG:SYD:(A;OICI;FA;;;WD)(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)";
const MAX_SDDL_BYTES = 8 * 1024;
function permissionKeyOf(sddl) {
    const h = (0, node_crypto_1.createHash)("sha256").update(sddl, "utf8").digest();
    return `${h.readBigUInt64BE(0)}*${h.readBigUInt64BE(8)}`;
}
/** A light SDDL check: the owner/group/DACL/SACL parts in order, printable, at most 8 KiB. */
function validateSddl(sddl) {
    const ok = Buffer.byteLength(sddl, "utf8") <= MAX_SDDL_BYTES &&
        // eslint-disable-next-line no-control-regex
        !/[\u0000-\u001F]/.test(sddl) &&
        /^(O:[^:()]+?)?(G:[^:()]+?)?(D:[A-Z]*(\([^()]*\))*)?(S:[A-Z]*(\([^()]*\))*)?$/.test(sddl) &&
        /^(O:|G:|D:|S:)/.test(sddl);
    if (!ok)
        throw errors_1.Errors.fileInvalidPermission();
}
class PermissionStore {
    byKey = new Map();
    file;
    constructor(dir) {
        this.file = (0, node_path_1.join)(dir, "permissions.jsonl");
        if ((0, node_fs_1.existsSync)(this.file)) {
            for (const line of (0, node_fs_1.readFileSync)(this.file, "utf8").split("\n")) {
                if (!line)
                    continue;
                try {
                    const { k, p } = JSON.parse(line);
                    this.byKey.set(k, p);
                }
                catch {
                    // torn tail of an interrupted append
                }
            }
        }
        this.add(exports.DEFAULT_SDDL);
    }
    /** Stores an SDDL (validated) and returns its key. */
    add(sddl) {
        validateSddl(sddl);
        const key = permissionKeyOf(sddl);
        if (!this.byKey.has(key)) {
            this.byKey.set(key, sddl);
            (0, node_fs_1.appendFileSync)(this.file, JSON.stringify({ k: key, p: sddl }) + "\n");
        }
        return key;
    }
    get(key) {
        const sddl = this.byKey.get(key);
        if (sddl === undefined)
            throw errors_1.Errors.permissionNotFound();
        return sddl;
    }
    has(key) {
        return this.byKey.has(key);
    }
}
exports.PermissionStore = PermissionStore;
//# sourceMappingURL=permissions.js.map