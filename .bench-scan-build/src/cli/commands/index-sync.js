"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerIndexSync = registerIndexSync;
const scan_1 = require("./scan");
function registerIndexSync(program) {
    const index = program.commands.find((c) => c.name() === "index") ?? program.command("index").description("Work with the node index.");
    (0, scan_1.scanOptions)(index.command("sync").description("Scan a share and apply the changes to the node index.")).action((flags) => (0, scan_1.runScan)(flags, true));
}
//# sourceMappingURL=index-sync.js.map