"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toProductSettings = toProductSettings;
exports.isSecretSetting = isSecretSetting;
/**
 * Maps the local stack's settings onto the product's setting names (src/config/settings.ts), the names
 * the Functions app, the CLI and local.settings.json share. Guarantees: only names declared there are
 * produced, and a service the stack does not run produces no setting.
 */
const settings_1 = require("../../config/settings");
const connection_strings_1 = require("./connection-strings");
/** The settings a stack contributes: AFB_FILES, AFB_REPOSITORY (blob+queue+table), AFB_COSMOS__*. */
function toProductSettings(stack) {
    const out = {};
    if (stack.files !== undefined)
        out.AFB_FILES = stack.files;
    const repository = {
        ...(stack.blob !== undefined ? { BlobEndpoint: (0, connection_strings_1.endpointsOf)(stack.blob).BlobEndpoint } : {}),
        ...(stack.queue !== undefined ? { QueueEndpoint: (0, connection_strings_1.endpointsOf)(stack.queue).QueueEndpoint } : {}),
        ...(stack.table !== undefined ? { TableEndpoint: (0, connection_strings_1.endpointsOf)(stack.table).TableEndpoint } : {}),
    };
    if (Object.keys(repository).length > 0)
        out.AFB_REPOSITORY = (0, connection_strings_1.devConnectionString)(repository);
    if (stack.cosmos !== undefined) {
        out.AFB_COSMOS__accountEndpoint = stack.cosmos.endpoint;
        out.AFB_COSMOS__key = stack.cosmos.key;
        out.AFB_COSMOS__caCert = stack.cosmos.caCert;
    }
    for (const name of Object.keys(out)) {
        if (!settings_1.SETTINGS.some((s) => s.name === name))
            throw new Error(`setting ${name} is not declared in src/config/settings.ts`);
    }
    return out;
}
/** The names of the settings whose values are secrets (to print them only where asked for). */
function isSecretSetting(name) {
    return settings_1.SETTINGS.some((s) => s.name === name && s.secret);
}
//# sourceMappingURL=product-settings.js.map