/**
 * The shares of one account: DIR/<account>/<share>/ holds each share's live tree, and
 * DIR/<account>/.emulator/<share>/ its sidecar (share names cannot start with a dot, so the two never
 * collide). A share exists exactly when its directory does; stores are opened lazily and kept open.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Errors } from "../errors";
import type { TickSource } from "../time";
import { etagOf } from "./entry";
import { isValidShareName } from "./paths";
import { ShareStore } from "./share-store";

export class AccountStore {
  private readonly open = new Map<string, ShareStore>();
  readonly dir: string;
  private readonly metaRoot: string;

  constructor(dataDir: string, readonly name: string, private readonly ticks: TickSource) {
    this.dir = join(dataDir, name);
    this.metaRoot = join(this.dir, ".emulator");
    mkdirSync(this.metaRoot, { recursive: true });
  }

  private rootOf(share: string): string {
    return join(this.dir, share);
  }

  exists(share: string): boolean {
    if (!isValidShareName(share)) return false;
    const p = this.rootOf(share);
    return existsSync(p) && statSync(p).isDirectory();
  }

  /** The open store of an existing share; ShareNotFound otherwise. */
  get(share: string): ShareStore {
    if (!isValidShareName(share)) throw Errors.invalidResourceName();
    const cached = this.open.get(share);
    if (cached && this.exists(share)) return cached;
    if (!this.exists(share)) {
      this.open.delete(share);
      throw Errors.shareNotFound();
    }
    const store = new ShareStore(share, this.rootOf(share), join(this.metaRoot, share), this.ticks);
    this.open.set(share, store);
    return store;
  }

  create(share: string, quota: number, meta: Record<string, string>): ShareStore {
    if (!isValidShareName(share)) throw Errors.invalidResourceName();
    if (this.exists(share)) throw Errors.shareAlreadyExists();
    rmSync(join(this.metaRoot, share), { recursive: true, force: true });
    mkdirSync(this.rootOf(share));
    const store = this.get(share);
    const now = this.ticks.next();
    store.saveProps({ createdMs: now.ms, modifiedMs: now.ms, etag: etagOf(store.nextSeq(), now.ms), quota, meta });
    return store;
  }

  async remove(share: string): Promise<void> {
    this.get(share);
    this.open.delete(share);
    // Rename first so the name is free at once, then delete the bytes.
    const trash = join(this.metaRoot, `.trash-${share}-${this.ticks.next().ms}`);
    mkdirSync(trash);
    await rename(this.rootOf(share), join(trash, "data"));
    if (existsSync(join(this.metaRoot, share))) await rename(join(this.metaRoot, share), join(trash, "meta"));
    await rm(trash, { recursive: true, force: true });
  }

  shareNames(): string[] {
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && isValidShareName(d.name))
      .map((d) => d.name)
      .sort();
  }
}
