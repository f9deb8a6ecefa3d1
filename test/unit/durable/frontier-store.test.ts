/** The in-memory FrontierStore against the conformance suite the Table Storage adapter also passes. */
import { MemoryFrontierStore } from "../../../src/adapters/memory/frontier-store";
import { frontierStoreConformance } from "./frontier-store.conformance";

frontierStoreConformance("memory", () => new MemoryFrontierStore());
