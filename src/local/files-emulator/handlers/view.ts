/**
 * A read-only view of a share for GET/HEAD/list: the live tree (reconciled with the disk as it is
 * visited) or a share snapshot's frozen tree, chosen by the `sharesnapshot` query parameter.
 */
import { Errors } from "../errors";
import type { Ctx } from "../context";
import type { AccountStore } from "../store/account";
import type { Entry } from "../store/entry";
import type { ShareStore } from "../store/share-store";
import type { SnapshotInfo } from "../store/snapshots";
import { resolveIn, type TreeIndex } from "../store/tree";
import { snapshotParam } from "./common";

export interface View {
  readonly store: ShareStore;
  readonly tree: TreeIndex;
  readonly snapshot?: SnapshotInfo;
  /** Writes with a higher sequence are not visible (Infinity for the live share). */
  readonly seq: number;
  resolve(names: readonly string[]): Entry;
  /** Sorted child names of a directory. */
  children(dirId: string): string[];
}

export function openView(ctx: Ctx, account: AccountStore, share: string): View {
  const store = account.get(share);
  const name = snapshotParam(ctx);
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
  if (!info) throw Errors.shareSnapshotNotFound();
  const tree = store.snapshots.view(name);
  return {
    store,
    tree,
    snapshot: info,
    seq: info.seq,
    resolve: (names) => resolveIn(tree, names),
    children: (dirId) => tree.sortedChildren(dirId),
  };
}
