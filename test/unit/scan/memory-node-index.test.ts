import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { nodeIndexConformance } from "./node-index.conformance";

nodeIndexConformance("memory", async () => ({ index: new MemoryNodeIndex(), close: async () => undefined }));
