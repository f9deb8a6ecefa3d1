/**
 * Record spools for tests that run backups: in memory for unit tests, in a temporary file (the
 * adapter `afb backup` uses) for integration tests.
 */
import { tmpdir } from "node:os";
import { FileRecordSpool } from "../../src/adapters/local-fs/record-spool";
import { MemoryRecordSpool } from "../../src/adapters/memory/record-spool";
import type { RecordSpool } from "../../src/core/ports/record-spool";

export const memorySpool = (): Promise<RecordSpool> => Promise.resolve(new MemoryRecordSpool());

export const fileSpool = (): Promise<RecordSpool> => FileRecordSpool.create(tmpdir());
