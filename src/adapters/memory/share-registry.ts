/**
 * An in-memory ShareRegistry for unit tests and the CLI's dry runs; passes the same conformance suite
 * as the Table Storage adapter. Stores deep copies, so callers never alias its records.
 */
import { ShareExistsError, ShareNotFoundError, ShareRegistryError, type ShareRegistry } from "../../core/ports/share-registry";
import { ShareSchema, describeIssues, fieldIssues, type Share } from "../../core/registry/share";

export class MemoryShareRegistry implements ShareRegistry {
  readonly description = "in-memory share registry";
  private readonly shares = new Map<string, Share>();

  async add(share: Share): Promise<void> {
    const valid = this.check(share);
    if (this.shares.has(valid.id)) throw new ShareExistsError(valid.id);
    this.shares.set(valid.id, structuredClone(valid));
  }

  async get(id: string): Promise<Share | undefined> {
    const s = this.shares.get(id);
    return s === undefined ? undefined : structuredClone(s);
  }

  async list(): Promise<Share[]> {
    return [...this.shares.keys()].sort().map((id) => structuredClone(this.shares.get(id) as Share));
  }

  async remove(id: string): Promise<boolean> {
    return this.shares.delete(id);
  }

  async recordScheduledRun(id: string, at: string): Promise<void> {
    const s = this.shares.get(id);
    if (s === undefined) throw new ShareNotFoundError(id);
    this.shares.set(id, this.check({ ...s, lastScheduledRun: at }));
  }

  private check(share: Share): Share {
    const r = ShareSchema.safeParse(share);
    if (!r.success) throw new ShareRegistryError(`refusing to store an invalid share: ${describeIssues(fieldIssues(r.error))}`);
    return r.data;
  }
}
