import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { objectStoreConformance } from "./object-store.conformance";

objectStoreConformance("memory", async () => ({ store: new MemoryObjectStore(), dispose: async () => undefined }));

describe("MemoryObjectStore", () => {
  it("counts writes so tests can check what an operation costs", async () => {
    const store = new MemoryObjectStore();
    await store.put("k/1", Buffer.from("abc"));
    await store.head("k/1");
    expect(store.stats).toMatchObject({ puts: 1, heads: 1, bytesWritten: 3 });
  });
});
