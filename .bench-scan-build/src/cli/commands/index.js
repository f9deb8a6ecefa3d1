"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COMMANDS = void 0;
const stack_1 = require("./stack");
const scan_1 = require("./scan");
const index_sync_1 = require("./index-sync");
exports.COMMANDS = [
    stack_1.registerStack,
    scan_1.registerScan,
    index_sync_1.registerIndexSync,
];
//# sourceMappingURL=index.js.map