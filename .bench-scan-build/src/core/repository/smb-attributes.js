"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseSmbAttributes = parseSmbAttributes;
exports.formatSmbAttributes = formatSmbAttributes;
/**
 * SMB file attributes: the names Azure Files uses in x-ms-file-attributes ("ReadOnly|Hidden") and the
 * FILE_ATTRIBUTE_* bits the repository stores. Parsing is case-insensitive; unknown names are an error
 * naming them; "None" (and "Normal") is no bit.
 */
const BITS = {
    ReadOnly: 0x1,
    Hidden: 0x2,
    System: 0x4,
    Directory: 0x10,
    Archive: 0x20,
    Temporary: 0x100,
    Offline: 0x1000,
    NotContentIndexed: 0x2000,
    NoScrubData: 0x20000,
};
const BY_LOWER = new Map(Object.entries(BITS).map(([k, v]) => [k.toLowerCase(), v]));
/** "ReadOnly|Archive" -> 0x21. */
function parseSmbAttributes(list) {
    let bits = 0;
    for (const raw of list.split("|")) {
        const name = raw.trim().toLowerCase();
        if (name === "" || name === "none" || name === "normal")
            continue;
        const bit = BY_LOWER.get(name);
        if (bit === undefined)
            throw new Error(`unknown SMB attribute ${JSON.stringify(raw.trim())} in ${JSON.stringify(list)} (known: ${Object.keys(BITS).join(", ")})`);
        bits |= bit;
    }
    return bits;
}
/** 0x21 -> "ReadOnly|Archive" (in bit order); 0 -> "None". */
function formatSmbAttributes(bits) {
    const names = Object.entries(BITS).filter(([, b]) => (bits & b) !== 0).map(([n]) => n);
    return names.length === 0 ? "None" : names.join("|");
}
//# sourceMappingURL=smb-attributes.js.map