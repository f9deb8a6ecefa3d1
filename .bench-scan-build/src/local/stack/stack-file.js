"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DATA_LOCK = exports.STACK_FILE = void 0;
exports.writeStackFile = writeStackFile;
exports.removeStackFile = removeStackFile;
exports.readStackFile = readStackFile;
exports.pidAlive = pidAlive;
exports.stackAddresses = stackAddresses;
exports.portAnswers = portAnswers;
exports.findRunningStack = findRunningStack;
exports.dataLockHolder = dataLockHolder;
exports.takeDataLock = takeDataLock;
/**
 * DIR/stack.json: how a running `afb stack up` announces itself to other `afb` commands (its settings,
 * its pid), and DIR/stack.lock, which marks a data folder as in use by one stack (served or embedded).
 * Guarantees: a stack counts as running only if its file parses, its pid is alive and every port it
 * lists accepts a TCP connection; stale files are reported as absent, never trusted.
 */
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_path_1 = require("node:path");
exports.STACK_FILE = "stack.json";
exports.DATA_LOCK = "stack.lock";
/** Writes DIR/stack.json atomically (readers never see half a file). */
function writeStackFile(dir, file) {
    const path = (0, node_path_1.join)(dir, exports.STACK_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    (0, node_fs_1.writeFileSync)(tmp, `${JSON.stringify({ ...file.settings, pid: file.pid })}\n`, { mode: 0o600 });
    (0, node_fs_1.renameSync)(tmp, path);
}
/** Removes DIR/stack.json if it is this process's. */
function removeStackFile(dir, pid = process.pid) {
    const current = readStackFile(dir);
    if (current === undefined || current.pid === pid)
        (0, node_fs_1.rmSync)((0, node_path_1.join)(dir, exports.STACK_FILE), { force: true });
}
/** Parses DIR/stack.json; undefined when absent or not a stack file. */
function readStackFile(dir) {
    const path = (0, node_path_1.join)(dir, exports.STACK_FILE);
    if (!(0, node_fs_1.existsSync)(path))
        return undefined;
    try {
        const raw = JSON.parse((0, node_fs_1.readFileSync)(path, "utf8"));
        const { pid, ...settings } = raw;
        if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0)
            return undefined;
        return { pid, settings: settings };
    }
    catch {
        return undefined;
    }
}
/** True if a process with this pid exists (signal 0 checks without touching it). */
function pidAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === "EPERM";
    }
}
/** The host:port pairs a stack's settings point at. */
function stackAddresses(settings) {
    const urls = [];
    for (const key of ["blob", "queue", "table", "files"]) {
        const conn = settings[key];
        if (typeof conn !== "string")
            continue;
        for (const part of conn.split(";")) {
            const m = /^(Blob|Queue|Table|File)Endpoint=(.+)$/.exec(part.trim());
            if (m)
                urls.push(m[2]);
        }
    }
    if (settings.cosmos !== undefined)
        urls.push(settings.cosmos.endpoint);
    return urls.flatMap((u) => {
        try {
            const url = new URL(u);
            const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
            return [{ host: url.hostname.replace(/^\[|\]$/g, ""), port }];
        }
        catch {
            return [];
        }
    });
}
/** Resolves true if a TCP connection to host:port opens within timeoutMs. */
function portAnswers(host, port, timeoutMs = 1000) {
    return new Promise((resolve) => {
        const socket = (0, node_net_1.connect)({ host, port });
        const done = (ok) => {
            socket.destroy();
            resolve(ok);
        };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once("connect", () => done(true));
        socket.once("error", () => done(false));
    });
}
/** The running stack announced in DIR, if its process is alive and all its ports answer. */
async function findRunningStack(dir) {
    const file = readStackFile(dir);
    if (file === undefined || !pidAlive(file.pid))
        return undefined;
    const addresses = stackAddresses(file.settings);
    if (addresses.length === 0)
        return undefined;
    const answers = await Promise.all(addresses.map((a) => portAnswers(a.host, a.port)));
    return answers.every(Boolean) ? file : undefined;
}
/** The pid holding DIR's lock, if that process is still alive. */
function dataLockHolder(dir) {
    const path = (0, node_path_1.join)(dir, exports.DATA_LOCK);
    if (!(0, node_fs_1.existsSync)(path))
        return undefined;
    const pid = Number((0, node_fs_1.readFileSync)(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid) ? pid : undefined;
}
/**
 * Takes DIR's lock for this process (two stacks on one folder would corrupt Azurite's databases);
 * returns the release function. `wx` makes the create atomic; a stale lock is replaced.
 */
function takeDataLock(dir) {
    const path = (0, node_path_1.join)(dir, exports.DATA_LOCK);
    const holder = dataLockHolder(dir);
    if (holder !== undefined) {
        throw new Error(`the local stack data in ${dir} is in use by another afb process (pid ${holder}); run \`afb stack up\` once to share one stack between commands`);
    }
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    (0, node_fs_1.rmSync)(path, { force: true });
    try {
        (0, node_fs_1.writeFileSync)(path, `${process.pid}\n`, { flag: "wx" });
    }
    catch (err) {
        throw new Error(`the local stack data in ${dir} was just taken by another afb command`, { cause: err });
    }
    return () => {
        if ((0, node_fs_1.existsSync)(path) && (0, node_fs_1.readFileSync)(path, "utf8").trim() === String(process.pid))
            (0, node_fs_1.rmSync)(path, { force: true });
    };
}
//# sourceMappingURL=stack-file.js.map