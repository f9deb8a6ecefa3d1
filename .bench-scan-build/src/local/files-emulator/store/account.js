"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AccountStore = void 0;
/**
 * The shares of one account: DIR/<account>/<share>/ holds each share's live tree, and
 * DIR/<account>/.emulator/<share>/ its sidecar (share names cannot start with a dot, so the two never
 * collide). A share exists exactly when its directory does; stores are opened lazily and kept open.
 */
const node_fs_1 = require("node:fs");
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
const entry_1 = require("./entry");
const paths_1 = require("./paths");
const share_store_1 = require("./share-store");
class AccountStore {
    name;
    ticks;
    open = new Map();
    dir;
    metaRoot;
    constructor(dataDir, name, ticks) {
        this.name = name;
        this.ticks = ticks;
        this.dir = (0, node_path_1.join)(dataDir, name);
        this.metaRoot = (0, node_path_1.join)(this.dir, ".emulator");
        (0, node_fs_1.mkdirSync)(this.metaRoot, { recursive: true });
    }
    rootOf(share) {
        return (0, node_path_1.join)(this.dir, share);
    }
    exists(share) {
        if (!(0, paths_1.isValidShareName)(share))
            return false;
        const p = this.rootOf(share);
        return (0, node_fs_1.existsSync)(p) && (0, node_fs_1.statSync)(p).isDirectory();
    }
    /** The open store of an existing share; ShareNotFound otherwise. */
    get(share) {
        if (!(0, paths_1.isValidShareName)(share))
            throw errors_1.Errors.invalidResourceName();
        const cached = this.open.get(share);
        if (cached && this.exists(share))
            return cached;
        if (!this.exists(share)) {
            this.open.delete(share);
            throw errors_1.Errors.shareNotFound();
        }
        const store = new share_store_1.ShareStore(share, this.rootOf(share), (0, node_path_1.join)(this.metaRoot, share), this.ticks);
        this.open.set(share, store);
        return store;
    }
    create(share, quota, meta) {
        if (!(0, paths_1.isValidShareName)(share))
            throw errors_1.Errors.invalidResourceName();
        if (this.exists(share))
            throw errors_1.Errors.shareAlreadyExists();
        (0, node_fs_1.rmSync)((0, node_path_1.join)(this.metaRoot, share), { recursive: true, force: true });
        (0, node_fs_1.mkdirSync)(this.rootOf(share));
        const store = this.get(share);
        const now = this.ticks.next();
        store.saveProps({ createdMs: now.ms, modifiedMs: now.ms, etag: (0, entry_1.etagOf)(store.nextSeq(), now.ms), quota, meta });
        return store;
    }
    async remove(share) {
        this.get(share);
        this.open.delete(share);
        // Rename first so the name is free at once, then delete the bytes.
        const trash = (0, node_path_1.join)(this.metaRoot, `.trash-${share}-${this.ticks.next().ms}`);
        (0, node_fs_1.mkdirSync)(trash);
        await (0, promises_1.rename)(this.rootOf(share), (0, node_path_1.join)(trash, "data"));
        if ((0, node_fs_1.existsSync)((0, node_path_1.join)(this.metaRoot, share)))
            await (0, promises_1.rename)((0, node_path_1.join)(this.metaRoot, share), (0, node_path_1.join)(trash, "meta"));
        await (0, promises_1.rm)(trash, { recursive: true, force: true });
    }
    shareNames() {
        return (0, node_fs_1.readdirSync)(this.dir, { withFileTypes: true })
            .filter((d) => d.isDirectory() && (0, paths_1.isValidShareName)(d.name))
            .map((d) => d.name)
            .sort();
    }
}
exports.AccountStore = AccountStore;
//# sourceMappingURL=account.js.map