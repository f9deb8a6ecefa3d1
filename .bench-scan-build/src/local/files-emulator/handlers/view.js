"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.openView = openView;
/**
 * A read-only view of a share for GET/HEAD/list: the live tree (reconciled with the disk as it is
 * visited) or a share snapshot's frozen tree, chosen by the `sharesnapshot` query parameter.
 */
const errors_1 = require("../errors");
const tree_1 = require("../store/tree");
const common_1 = require("./common");
function openView(ctx, account, share) {
    const store = account.get(share);
    const name = (0, common_1.snapshotParam)(ctx);
    if (name === undefined) {
        return {
            store,
            tree: store.tree,
            seq: Infinity,
            resolve: (names) => store.resolve(names),
            children: (dirId) => {
                store.reconcile(dirId);
                return store.tree.sortedChildren(dirId);
            },
        };
    }
    const info = store.snapshots.list().find((s) => s.name === name);
    if (!info)
        throw errors_1.Errors.shareSnapshotNotFound();
    const tree = store.snapshots.view(name);
    return {
        store,
        tree,
        snapshot: info,
        seq: info.seq,
        resolve: (names) => (0, tree_1.resolveIn)(tree, names),
        children: (dirId) => tree.sortedChildren(dirId),
    };
}
//# sourceMappingURL=view.js.map