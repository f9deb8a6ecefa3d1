/**
 * Finds one path of a snapshot by walking its trees from the root: one tree read per directory on
 * the path, never the whole snapshot. Paths are "/"-separated from the share root ("" = the root);
 * "." and ".." are refused rather than interpreted.
 */
import type { DirectoryNode, FileNode, HexHash, Tree } from "../repository/model";
import { SelectionNotFoundError } from "../restore/errors";
import { parseSelectionPath } from "../restore/path-safety";

export type FoundNode =
  | { readonly kind: "dir"; readonly path: string; readonly node: DirectoryNode; readonly tree: Tree }
  | { readonly kind: "file"; readonly path: string; readonly node: FileNode };

export async function resolvePath(content: { getTree(id: HexHash): Promise<Tree> }, root: DirectoryNode, path: string): Promise<FoundNode> {
  const segments = parseSelectionPath(path);
  let node = root;
  let tree = await content.getTree(root.tree);
  for (const [i, name] of segments.entries()) {
    const here = segments.slice(0, i + 1).join("/");
    const dir = tree.directories.find((d) => d.name === name);
    if (dir !== undefined) {
      node = dir;
      tree = await content.getTree(dir.tree);
      continue;
    }
    const file = tree.files.find((f) => f.name === name);
    if (file !== undefined && i === segments.length - 1) return { kind: "file", path: here, node: file };
    throw new SelectionNotFoundError(file !== undefined ? `${here}/${segments[i + 1]}` : here);
  }
  return { kind: "dir", path: segments.join("/"), node, tree };
}
