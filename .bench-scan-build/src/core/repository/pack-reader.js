"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readPackEntries = readPackEntries;
const errors_1 = require("./errors");
const layout_1 = require("./layout");
const object_store_1 = require("./object-store");
const pack_format_1 = require("./pack-format");
async function readPackEntries(store, pack) {
    if (pack.size < pack_format_1.FOOTER_BYTES)
        throw new errors_1.RepositoryCorruptError(`pack ${pack.id} is only ${pack.size} bytes`);
    const key = (0, layout_1.packKey)(pack.id);
    const footer = await (0, object_store_1.readAll)(store, key, { offset: pack.size - pack_format_1.FOOTER_BYTES, length: pack_format_1.FOOTER_BYTES });
    const { trailerLength, checksum } = (0, pack_format_1.parseFooter)(footer, pack.size, pack.id);
    const bodyLength = pack.size - pack_format_1.FOOTER_BYTES - trailerLength;
    const trailer = trailerLength === 0 ? Buffer.alloc(0) : await (0, object_store_1.readAll)(store, key, { offset: bodyLength, length: trailerLength });
    return (0, pack_format_1.parseTrailer)(trailer, checksum, bodyLength, pack.id);
}
//# sourceMappingURL=pack-reader.js.map