/**
 * The id a share is filed under in the node index: 8 characters, derived from where the share lives
 * (account endpoint and share name, or a local path), so the same share always maps to the same
 * partitions and two shares never share one. Short on purpose: it is part of every document's
 * partition key. 48 bits: a collision among 10,000 shares in one index has odds of about 2e-7.
 */
import { createHash } from "node:crypto";

/** The share id of `location` (e.g. "https://acct.file.core.windows.net/myshare" or "local:/mnt/x"). */
export function shareIdOf(location: string): string {
  if (location === "") throw new Error("a share location is needed to derive its index id");
  return createHash("sha256").update(location, "utf8").digest("base64url").slice(0, 8);
}
