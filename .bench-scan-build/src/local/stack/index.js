"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.endpointsOf = exports.DEV_COSMOS_KEY = exports.DEV_ACCOUNT_NAME = exports.DEV_ACCOUNT_KEY = exports.DEFAULT_PORTS = exports.ALL_SERVICES = exports.STACK_FILE = exports.takeDataLock = exports.removeStackFile = exports.writeStackFile = exports.readStackFile = exports.findRunningStack = exports.DEFAULT_STACK_DIR = exports.CONNECTION_SETTINGS = exports.resolveEnvironment = exports.isSecretSetting = exports.toProductSettings = exports.startLocalStack = void 0;
/**
 * The local Azure stack: Azurite (blob, queue, table), the Azure Files emulator and cosmosdb-server in
 * one process, the mapping of its endpoints onto the product's settings, and the rule by which every
 * `afb` command finds Azure (explicit settings, a running `afb stack up`, or an embedded stack).
 */
var local_stack_1 = require("./local-stack");
Object.defineProperty(exports, "startLocalStack", { enumerable: true, get: function () { return local_stack_1.startLocalStack; } });
var product_settings_1 = require("./product-settings");
Object.defineProperty(exports, "toProductSettings", { enumerable: true, get: function () { return product_settings_1.toProductSettings; } });
Object.defineProperty(exports, "isSecretSetting", { enumerable: true, get: function () { return product_settings_1.isSecretSetting; } });
var resolve_environment_1 = require("./resolve-environment");
Object.defineProperty(exports, "resolveEnvironment", { enumerable: true, get: function () { return resolve_environment_1.resolveEnvironment; } });
Object.defineProperty(exports, "CONNECTION_SETTINGS", { enumerable: true, get: function () { return resolve_environment_1.CONNECTION_SETTINGS; } });
Object.defineProperty(exports, "DEFAULT_STACK_DIR", { enumerable: true, get: function () { return resolve_environment_1.DEFAULT_STACK_DIR; } });
var stack_file_1 = require("./stack-file");
Object.defineProperty(exports, "findRunningStack", { enumerable: true, get: function () { return stack_file_1.findRunningStack; } });
Object.defineProperty(exports, "readStackFile", { enumerable: true, get: function () { return stack_file_1.readStackFile; } });
Object.defineProperty(exports, "writeStackFile", { enumerable: true, get: function () { return stack_file_1.writeStackFile; } });
Object.defineProperty(exports, "removeStackFile", { enumerable: true, get: function () { return stack_file_1.removeStackFile; } });
Object.defineProperty(exports, "takeDataLock", { enumerable: true, get: function () { return stack_file_1.takeDataLock; } });
Object.defineProperty(exports, "STACK_FILE", { enumerable: true, get: function () { return stack_file_1.STACK_FILE; } });
var types_1 = require("./types");
Object.defineProperty(exports, "ALL_SERVICES", { enumerable: true, get: function () { return types_1.ALL_SERVICES; } });
Object.defineProperty(exports, "DEFAULT_PORTS", { enumerable: true, get: function () { return types_1.DEFAULT_PORTS; } });
var connection_strings_1 = require("./connection-strings");
Object.defineProperty(exports, "DEV_ACCOUNT_KEY", { enumerable: true, get: function () { return connection_strings_1.DEV_ACCOUNT_KEY; } });
Object.defineProperty(exports, "DEV_ACCOUNT_NAME", { enumerable: true, get: function () { return connection_strings_1.DEV_ACCOUNT_NAME; } });
Object.defineProperty(exports, "DEV_COSMOS_KEY", { enumerable: true, get: function () { return connection_strings_1.DEV_COSMOS_KEY; } });
Object.defineProperty(exports, "endpointsOf", { enumerable: true, get: function () { return connection_strings_1.endpointsOf; } });
//# sourceMappingURL=index.js.map