"use strict";
/**
 * The shapes the local stack hands out: one connection string per storage service and the Cosmos
 * endpoint, in the JSON form `afb stack up --json` prints.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_PORTS = exports.ALL_SERVICES = void 0;
exports.ALL_SERVICES = ["blob", "queue", "table", "files", "cosmos"];
/** Default ports (Azurite's, the Files emulator's, the Cosmos DB emulator's). */
exports.DEFAULT_PORTS = {
    blob: 10000,
    queue: 10001,
    table: 10002,
    files: 10004,
    cosmos: 8081,
};
//# sourceMappingURL=types.js.map