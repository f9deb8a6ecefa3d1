"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_STACK_DIR = exports.CONNECTION_SETTINGS = void 0;
exports.resolveEnvironment = resolveEnvironment;
/**
 * How every `afb` command finds Azure. In order: explicit settings (environment, then the Values of
 * local.settings.json) -> a running `afb stack up` announced in .afb/stack/stack.json (pid alive, ports
 * answering) -> an embedded stack started in this process on ephemeral ports, its data under
 * .afb/stack so state persists between commands. Guarantees: the description names the source and
 * setting names only, never a value; an embedded stack is stopped by the returned stop().
 */
const node_path_1 = require("node:path");
const settings_1 = require("../../config/settings");
const local_stack_1 = require("./local-stack");
const product_settings_1 = require("./product-settings");
const stack_file_1 = require("./stack-file");
const types_1 = require("./types");
/** Settings that point at an Azure service: setting any of them means "use what I configured". */
exports.CONNECTION_SETTINGS = [
    "AFB_FILES",
    "AFB_FILES__serviceUri",
    "AFB_REPOSITORY",
    "AFB_REPOSITORY__blobServiceUri",
    "AFB_REPOSITORY__queueServiceUri",
    "AFB_REPOSITORY__tableServiceUri",
    "AFB_COSMOS__accountEndpoint",
];
/** The default data folder of the local stack, relative to the current folder. */
exports.DEFAULT_STACK_DIR = (0, node_path_1.join)(".afb", "stack");
/** The stack's connection settings plus the plain options (container, database, hub) from `source`. */
function collect(source, stackSettings) {
    const out = {};
    for (const { name } of settings_1.SETTINGS) {
        const plainOption = !name.includes("__") && !exports.CONNECTION_SETTINGS.includes(name);
        const value = stackSettings[name] ?? (plainOption ? source(name) : undefined);
        if (value !== undefined)
            out[name] = value;
    }
    return out;
}
function lookupOf(settings) {
    const known = new Set(settings_1.SETTINGS.map((s) => s.name));
    return (name) => {
        if (!known.has(name))
            throw new Error(`setting ${name} is not declared in src/config/settings.ts`);
        return settings[name];
    };
}
function resolved(source, description, settings, stop = async () => undefined) {
    return { source, description, settings, lookup: lookupOf(settings), stop };
}
/** Applies the resolution rule; see the module comment. */
async function resolveEnvironment(options = {}) {
    const cwd = options.cwd ?? process.cwd();
    const base = (0, settings_1.settingsSource)(options.env ?? process.env, cwd);
    const explicit = exports.CONNECTION_SETTINGS.filter((name) => base(name) !== undefined);
    if (explicit.length > 0) {
        const settings = {};
        for (const { name } of settings_1.SETTINGS) {
            const value = base(name);
            if (value !== undefined)
                settings[name] = value;
        }
        return resolved("explicit", `explicit settings (${explicit.join(", ")})`, settings);
    }
    const dataDir = (0, node_path_1.join)(cwd, options.dataDir ?? exports.DEFAULT_STACK_DIR);
    const shown = (0, node_path_1.relative)(cwd, dataDir) || ".";
    const running = await (0, stack_file_1.findRunningStack)(dataDir);
    if (running !== undefined) {
        return resolved("running", `running stack at ${shown} (pid ${running.pid})`, collect(base, (0, product_settings_1.toProductSettings)(running.settings)));
    }
    const release = (0, stack_file_1.takeDataLock)(dataDir);
    const services = options.services ?? types_1.ALL_SERVICES;
    const ports = Object.fromEntries(services.map((s) => [s, 0]));
    let stack;
    try {
        stack = await (0, local_stack_1.startLocalStack)({ dataDir, services, ports });
    }
    catch (err) {
        release();
        throw err;
    }
    const started = stack;
    const stop = async () => {
        try {
            await started.stop();
        }
        finally {
            release();
        }
    };
    return resolved("embedded", `embedded stack (${shown})`, collect(base, (0, product_settings_1.toProductSettings)(stack.settings)), stop);
}
//# sourceMappingURL=resolve-environment.js.map