/** The in-memory BackupLock passes the lock conformance suite. */
import { MemoryBackupLock } from "../../../src/adapters/lock/memory-lock";
import { lockConformance } from "./lock.conformance";

lockConformance("MemoryBackupLock", () => new MemoryBackupLock());
