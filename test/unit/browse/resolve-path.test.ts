/** Finding one path of a snapshot through its trees. */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { resolvePath } from "../../../src/core/browse/resolve-path";
import { Repository } from "../../../src/core/repository/repository";
import { SelectionNotFoundError } from "../../../src/core/restore/errors";
import { dir, file, SnapshotBuilder } from "../restore/builder";

test("resolves the root, a directory and a file, reading only the trees on the path", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const { manifest } = await new SnapshotBuilder(repo).snapshot([file("top.txt", "t"), dir("a", [dir("b", [file("c.txt", "see")]), file("x", "")]), dir("other", [file("o", "o")])]);
  let reads = 0;
  const content = { getTree: (id: string) => (reads++, repo.getTree(id)) };

  const root = await resolvePath(content, manifest.root, "");
  expect(root.kind === "dir" && root.tree.files.map((f) => f.name)).toEqual(["top.txt"]);
  reads = 0;
  const b = await resolvePath(content, manifest.root, "/a/b/");
  expect(b.kind === "dir" && [b.path, b.tree.files[0].name]).toEqual(["a/b", "c.txt"]);
  expect(reads).toBe(3);
  const c = await resolvePath(content, manifest.root, "a/b/c.txt");
  expect(c.kind === "file" && [c.path, c.node.size]).toEqual(["a/b/c.txt", 3]);

  await expect(resolvePath(content, manifest.root, "a/nope")).rejects.toThrow(new SelectionNotFoundError("a/nope"));
  await expect(resolvePath(content, manifest.root, "top.txt/below")).rejects.toThrow(/"top.txt\/below" is not in the snapshot/);
  await expect(resolvePath(content, manifest.root, "a/../other")).rejects.toThrow(/contains ".."/);
});
