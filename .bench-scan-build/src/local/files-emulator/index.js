"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FAULTS_ENV = exports.DEFAULT_PORT = exports.DEV_ACCOUNT_KEY = exports.DEV_ACCOUNT_NAME = void 0;
exports.startFilesEmulator = startFilesEmulator;
/**
 * The Azure Files emulator: an HTTP server speaking the File service REST API closely enough that
 * @azure/storage-file-share cannot tell it from Azure for what this product uses (shares, snapshots,
 * directories, files, ranges, permissions, rename, SharedKey and SAS auth, Azure's error codes).
 * Data lives in real directories and files under DIR/<account>/<share>/ (it survives restarts and large
 * files stream); FileIds, SMB properties, metadata and snapshots live in a sidecar beside them.
 * Faults (latency, 503 ServerBusy, connection resets) are off unless set by options, by
 * AFB_EMULATOR_FAULTS or by `PUT /.emulator/faults?busy=..&latency=..&reset=..&seed=..`.
 */
const node_fs_1 = require("node:fs");
const node_http_1 = require("node:http");
const faults_1 = require("./faults");
const server_1 = require("./server");
const account_1 = require("./store/account");
const time_1 = require("./time");
exports.DEV_ACCOUNT_NAME = "devstoreaccount1";
exports.DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
exports.DEFAULT_PORT = 10004;
/** Environment variable with the default fault spec, e.g. `busy=0.1,latency=5,reset=0.05,seed=7`. */
exports.FAULTS_ENV = "AFB_EMULATOR_FAULTS";
function faultsFrom(options) {
    if (options.faults)
        return options.faults;
    const spec = process.env[exports.FAULTS_ENV];
    if (spec === undefined || spec.trim() === "")
        return {};
    try {
        return (0, faults_1.parseFaultSpec)(spec);
    }
    catch (err) {
        throw new Error(`${exports.FAULTS_ENV}: ${err.message}`);
    }
}
function validate(options) {
    if (!options || typeof options.dataDir !== "string" || options.dataDir === "")
        throw new Error("startFilesEmulator: dataDir is required");
    const account = options.accountName ?? exports.DEV_ACCOUNT_NAME;
    if (!/^[a-z0-9]{3,24}$/.test(account))
        throw new Error(`startFilesEmulator: accountName '${account}' must be 3-24 lowercase letters or digits`);
    const key = options.accountKey ?? exports.DEV_ACCOUNT_KEY;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key))
        throw new Error("startFilesEmulator: accountKey must be base64");
    const port = options.port ?? exports.DEFAULT_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`startFilesEmulator: port ${port} is not a TCP port`);
}
async function startFilesEmulator(options) {
    validate(options);
    const host = options.host ?? "127.0.0.1";
    const accountName = options.accountName ?? exports.DEV_ACCOUNT_NAME;
    const accountKey = options.accountKey ?? exports.DEV_ACCOUNT_KEY;
    (0, node_fs_1.mkdirSync)(options.dataDir, { recursive: true });
    const ticks = new time_1.TickSource(time_1.systemClock);
    const account = new account_1.AccountStore(options.dataDir, accountName, ticks);
    const faults = new faults_1.FaultInjector(faultsFrom(options));
    const env = { account, ticks, url: "" };
    const files = new server_1.FilesServer(env, { accountName, key: Buffer.from(accountKey, "base64") }, faults, (err) => {
        process.stderr.write(`files-emulator: unexpected error: ${err?.stack ?? String(err)}\n`);
    });
    const server = (0, node_http_1.createServer)({ keepAliveTimeout: 30_000 }, files.listener);
    await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? exports.DEFAULT_PORT, host, () => {
            server.off("error", reject);
            resolve();
        });
    });
    const port = server.address().port;
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/${accountName}`;
    env.url = url;
    return {
        port,
        url,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${accountName};AccountKey=${accountKey};FileEndpoint=${url};`,
        setFaults: (f) => faults.set(f),
        close: () => new Promise((resolve, reject) => {
            server.close((err) => (err ? reject(err) : resolve()));
            server.closeAllConnections();
        }),
    };
}
//# sourceMappingURL=index.js.map