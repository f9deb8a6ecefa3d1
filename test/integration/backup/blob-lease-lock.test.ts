/** The blob lease BackupLock against Azurite, through the real SDK: the lock conformance suite. */
import { repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import { BlobLeaseLock } from "../../../src/adapters/lock/blob-lease-lock";
import { startTestStack, type TestStack } from "../../helpers/stack";
import { lockConformance } from "../../unit/backup/lock.conformance";

let stack: TestStack<"blob">;
beforeAll(async () => {
  stack = await startTestStack({ services: ["blob"] });
}, 60_000);
afterAll(() => stack?.stop());

lockConformance("BlobLeaseLock", () => BlobLeaseLock.of(repositoryConnectionFromSettings((name) => stack.productSettings[name])));
