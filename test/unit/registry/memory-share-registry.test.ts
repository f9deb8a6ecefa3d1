/** The in-memory ShareRegistry passes the conformance suite. */
import { MemoryShareRegistry } from "../../../src/adapters/memory/share-registry";
import { shareRegistryConformance } from "./share-registry.conformance";

shareRegistryConformance("memory", async () => new MemoryShareRegistry());
