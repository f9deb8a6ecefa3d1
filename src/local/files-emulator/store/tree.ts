/**
 * The name index over a set of entries: parent FileId -> child name -> FileId, plus name lookups
 * and sorted child lists (cached per directory until it changes). Shared by the live share and by
 * share snapshots; knows nothing about disk.
 */
import { Errors } from "../errors";
import { ROOT_ID, type Entry } from "./entry";

export class TreeIndex {
  private readonly kids = new Map<string, Map<string, string>>();
  private readonly sorted = new Map<string, string[]>();

  constructor(readonly byId: Map<string, Entry>) {
    for (const e of byId.values()) if (e.id !== ROOT_ID) this.link(e);
  }

  private link(e: Entry): void {
    let m = this.kids.get(e.parent);
    if (!m) this.kids.set(e.parent, (m = new Map()));
    m.set(e.name, e.id);
    this.sorted.delete(e.parent);
  }

  private unlink(e: Entry): void {
    this.kids.get(e.parent)?.delete(e.name);
    this.sorted.delete(e.parent);
  }

  get(id: string): Entry | undefined {
    return this.byId.get(id);
  }

  child(parent: string, name: string): Entry | undefined {
    const id = this.kids.get(parent)?.get(name);
    return id === undefined ? undefined : this.byId.get(id);
  }

  childCount(parent: string): number {
    return this.kids.get(parent)?.size ?? 0;
  }

  childNames(parent: string): string[] {
    return [...(this.kids.get(parent)?.keys() ?? [])];
  }

  /** Children in the lexical (UTF-16 code unit) order Azure lists them in. */
  sortedChildren(parent: string): string[] {
    let names = this.sorted.get(parent);
    if (!names) {
      names = this.childNames(parent).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sorted.set(parent, names);
    }
    return names;
  }

  /** Adds or replaces an entry, relinking it if its parent or name changed. */
  set(e: Entry): void {
    const old = this.byId.get(e.id);
    if (old && old.id !== ROOT_ID && (old.parent !== e.parent || old.name !== e.name)) this.unlink(old);
    this.byId.set(e.id, e);
    if (e.id !== ROOT_ID && (!old || old.parent !== e.parent || old.name !== e.name)) this.link(e);
  }

  /** Removes an entry and everything below it; returns the removed ids. */
  remove(id: string): string[] {
    const e = this.byId.get(id);
    if (!e) return [];
    const removed: string[] = [];
    const stack = [id];
    while (stack.length) {
      const cur = stack.pop() as string;
      for (const kid of this.kids.get(cur)?.values() ?? []) stack.push(kid);
      this.kids.delete(cur);
      this.sorted.delete(cur);
      this.byId.delete(cur);
      removed.push(cur);
    }
    this.unlink(e);
    return removed;
  }

  /** Names from the root to `id` (the root itself is []). */
  namesOf(id: string): string[] {
    const names: string[] = [];
    let cur = this.byId.get(id);
    while (cur && cur.id !== ROOT_ID) {
      names.push(cur.name);
      cur = this.byId.get(cur.parent);
    }
    return names.reverse();
  }

  isAncestor(ancestor: string, id: string): boolean {
    let cur = this.byId.get(id);
    while (cur) {
      if (cur.id === ancestor) return true;
      if (cur.id === ROOT_ID) return false;
      cur = this.byId.get(cur.parent);
    }
    return false;
  }
}

/** Resolves names to an entry; a missing intermediate directory is ParentNotFound, as in Azure. */
export function resolveIn(
  tree: TreeIndex,
  names: readonly string[],
  visit: (dirId: string) => void = () => undefined,
): Entry {
  let cur = tree.get(ROOT_ID) as Entry;
  for (let i = 0; i < names.length; i++) {
    if (cur.kind !== "d") throw Errors.parentNotFound();
    visit(cur.id);
    const next = tree.child(cur.id, names[i]);
    if (!next) throw i === names.length - 1 ? Errors.resourceNotFound() : Errors.parentNotFound();
    cur = next;
  }
  return cur;
}
