/**
 * An in-memory FrontierStore for the local durable driver, tests and benchmarks. It passes the same
 * conformance suite as the Table Storage adapter (test/.../frontier-store.conformance.ts).
 */
import { validateFrontierArgs, type FrontierStore } from "../../core/ports/frontier-store";

interface ScanFrontier {
  readonly pushedKeys: Set<string>;
  readonly claims: Map<string, string[]>;
  /** Pending ids, consumed from `head` (a queue without shifting). */
  readonly queue: string[];
  head: number;
}

export class MemoryFrontierStore implements FrontierStore {
  private readonly scans = new Map<string, ScanFrontier>();

  private scan(scanId: string): ScanFrontier {
    let s = this.scans.get(scanId);
    if (s === undefined) {
      s = { pushedKeys: new Set(), claims: new Map(), queue: [], head: 0 };
      this.scans.set(scanId, s);
    }
    return s;
  }

  async push(scanId: string, key: string, dirIds: readonly string[]): Promise<number> {
    validateFrontierArgs(scanId, key);
    const s = this.scan(scanId);
    if (s.pushedKeys.has(key)) return 0;
    s.pushedKeys.add(key);
    for (const id of dirIds) s.queue.push(id);
    return dirIds.length;
  }

  async claim(scanId: string, key: string, max: number): Promise<string[]> {
    validateFrontierArgs(scanId, key, max);
    const s = this.scan(scanId);
    const before = s.claims.get(key);
    if (before !== undefined) return [...before];
    const batch = s.queue.slice(s.head, s.head + max);
    s.head += batch.length;
    if (s.head > 4096 && s.head * 2 > s.queue.length) {
      s.queue.splice(0, s.head);
      s.head = 0;
    }
    s.claims.set(key, batch);
    return [...batch];
  }

  async pending(scanId: string): Promise<number> {
    const s = this.scans.get(scanId);
    return s === undefined ? 0 : s.queue.length - s.head;
  }

  async clear(scanId: string): Promise<void> {
    this.scans.delete(scanId);
  }
}
