"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodeDirectoryEntry = encodeDirectoryEntry;
exports.encodeTree = encodeTree;
exports.decodeDirectoryEntry = decodeDirectoryEntry;
exports.decodeTree = decodeTree;
/**
 * Tree codec: one directory <-> one DirectoryMetadata FlatBuffer. Encoding is canonical: children
 * are sorted by name (ordinal UTF-16 order), user metadata by key, and the builder is driven in a
 * fixed order, so equal trees give equal bytes and therefore equal ids (SHA-256 of the bytes).
 * Guarantees: encode rejects what cannot be stored faithfully (bad ids, duplicate or empty names,
 * chunk lengths that do not add up to the size), naming the offending entry.
 */
const flatbuffers_1 = require("flatbuffers");
const generated_1 = require("../../generated");
const codec_common_1 = require("./codec-common");
const errors_1 = require("./errors");
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
function checkNames(tree) {
    const seen = new Set();
    for (const n of [...tree.files, ...tree.directories]) {
        if (typeof n.name !== "string" || n.name === "" || n.name.includes("/"))
            throw new Error(`tree ${tree.fileId}: invalid entry name ${JSON.stringify(n.name)}`);
        if (seen.has(n.name))
            throw new Error(`tree ${tree.fileId}: duplicate entry name ${JSON.stringify(n.name)}`);
        seen.add(n.name);
    }
}
function encodeFile(b, f, where) {
    const total = f.chunks.reduce((sum, c) => sum + c.length, 0);
    if (total !== f.size)
        throw new Error(`${where}: chunk lengths add up to ${total}, not to the size ${f.size}`);
    for (const c of f.chunks)
        if (!Number.isInteger(c.length) || c.length <= 0 || c.length > 0xffffffff)
            throw new Error(`${where}: invalid chunk length ${c.length}`);
    const name = b.createString(f.name);
    const permission = f.permission === undefined ? 0 : generated_1.FileMetadata.createPermissionVector(b, (0, codec_common_1.hashBytes)(f.permission, `${where} permission`));
    const metadata = (0, codec_common_1.encodeUserMetadata)(b, f.userMetadata);
    const digest = generated_1.FileMetadata.createContentDigestVector(b, (0, codec_common_1.hashBytes)(f.digest, `${where} digest`));
    const ids = generated_1.FileMetadata.createChunkIdsVector(b, (0, codec_common_1.packIds)(f.chunks.map((c) => c.id), `${where} chunk`));
    const lengths = generated_1.FileMetadata.createChunkLengthsVector(b, f.chunks.map((c) => c.length));
    generated_1.FileMetadata.startFileMetadata(b);
    generated_1.FileMetadata.addFormatVersion(b, codec_common_1.FORMAT_VERSION);
    generated_1.FileMetadata.addFileId(b, (0, codec_common_1.fileIdToU64)(f.fileId, `${where} fileId`));
    generated_1.FileMetadata.addParentId(b, (0, codec_common_1.fileIdToU64)(f.parentId, `${where} parentId`));
    generated_1.FileMetadata.addName(b, name);
    addTimes(b, generated_1.FileMetadata, f, where);
    generated_1.FileMetadata.addAttributes(b, f.attributes >>> 0);
    if (permission !== 0)
        generated_1.FileMetadata.addPermission(b, permission);
    generated_1.FileMetadata.addUserMetadata(b, metadata);
    generated_1.FileMetadata.addSize(b, (0, codec_common_1.checkCount)(f.size, `${where} size`));
    generated_1.FileMetadata.addContentDigest(b, digest);
    generated_1.FileMetadata.addChunkIds(b, ids);
    generated_1.FileMetadata.addChunkLengths(b, lengths);
    return generated_1.FileMetadata.endFileMetadata(b);
}
function addTimes(b, t, n, where) {
    t.addCreationTime(b, (0, codec_common_1.microsToTicks)(n.creationTime, `${where} creationTime`));
    t.addLastWriteTime(b, (0, codec_common_1.microsToTicks)(n.lastWriteTime, `${where} lastWriteTime`));
    t.addChangeTime(b, (0, codec_common_1.microsToTicks)(n.changeTime, `${where} changeTime`));
    t.addLastAccessTime(b, (0, codec_common_1.microsToTicks)(n.lastAccessTime, `${where} lastAccessTime`));
}
/** A DirectoryEntry table (also the manifest's root). */
function encodeDirectoryEntry(b, d, where) {
    const name = b.createString(d.name);
    const permission = d.permission === undefined ? 0 : generated_1.DirectoryEntry.createPermissionVector(b, (0, codec_common_1.hashBytes)(d.permission, `${where} permission`));
    const metadata = (0, codec_common_1.encodeUserMetadata)(b, d.userMetadata);
    const tree = generated_1.DirectoryEntry.createTreeVector(b, (0, codec_common_1.hashBytes)(d.tree, `${where} tree`));
    generated_1.DirectoryEntry.startDirectoryEntry(b);
    generated_1.DirectoryEntry.addFileId(b, (0, codec_common_1.fileIdToU64)(d.fileId, `${where} fileId`));
    generated_1.DirectoryEntry.addName(b, name);
    addTimes(b, generated_1.DirectoryEntry, d, where);
    generated_1.DirectoryEntry.addAttributes(b, d.attributes >>> 0);
    if (permission !== 0)
        generated_1.DirectoryEntry.addPermission(b, permission);
    generated_1.DirectoryEntry.addUserMetadata(b, metadata);
    generated_1.DirectoryEntry.addTree(b, tree);
    generated_1.DirectoryEntry.addTotalFiles(b, (0, codec_common_1.checkCount)(d.totalFiles, `${where} totalFiles`));
    generated_1.DirectoryEntry.addTotalDirectories(b, (0, codec_common_1.checkCount)(d.totalDirectories, `${where} totalDirectories`));
    generated_1.DirectoryEntry.addTotalSize(b, (0, codec_common_1.checkCount)(d.totalSize, `${where} totalSize`));
    return generated_1.DirectoryEntry.endDirectoryEntry(b);
}
/** Canonical bytes of a tree. */
function encodeTree(tree) {
    checkNames(tree);
    const b = new flatbuffers_1.Builder(1024);
    const files = [...tree.files].sort(byName).map((f) => encodeFile(b, f, `tree ${tree.fileId} file ${JSON.stringify(f.name)}`));
    const dirs = [...tree.directories].sort(byName).map((d) => encodeDirectoryEntry(b, d, `tree ${tree.fileId} directory ${JSON.stringify(d.name)}`));
    const filesVec = (0, codec_common_1.offsetVector)(b, files);
    const dirsVec = (0, codec_common_1.offsetVector)(b, dirs);
    generated_1.DirectoryMetadata.startDirectoryMetadata(b);
    generated_1.DirectoryMetadata.addFormatVersion(b, codec_common_1.FORMAT_VERSION);
    generated_1.DirectoryMetadata.addFileId(b, (0, codec_common_1.fileIdToU64)(tree.fileId, "tree fileId"));
    generated_1.DirectoryMetadata.addParentId(b, (0, codec_common_1.fileIdToU64)(tree.parentId, "tree parentId"));
    generated_1.DirectoryMetadata.addFiles(b, filesVec);
    generated_1.DirectoryMetadata.addDirectories(b, dirsVec);
    generated_1.DirectoryMetadata.addFileCount(b, files.length);
    generated_1.DirectoryMetadata.addDirectoryCount(b, dirs.length);
    b.finish(generated_1.DirectoryMetadata.endDirectoryMetadata(b));
    return Buffer.from(b.asUint8Array());
}
function decodeFile(f) {
    const name = f.name() ?? "";
    const ids = (0, codec_common_1.unpackIds)(f.chunkIdsArray(), `file ${name} chunk ids`);
    const lengths = f.chunkLengthsArray() ?? new Uint32Array(0);
    if (ids.length !== lengths.length)
        throw new errors_1.RepositoryCorruptError(`file ${name}: ${ids.length} chunk ids but ${lengths.length} lengths`);
    const permission = f.permissionArray();
    return {
        fileId: f.fileId().toString(),
        parentId: f.parentId().toString(),
        name,
        creationTime: (0, codec_common_1.ticksToMicros)(f.creationTime()),
        lastWriteTime: (0, codec_common_1.ticksToMicros)(f.lastWriteTime()),
        changeTime: (0, codec_common_1.ticksToMicros)(f.changeTime()),
        lastAccessTime: (0, codec_common_1.ticksToMicros)(f.lastAccessTime()),
        attributes: f.attributes(),
        ...(permission === null ? {} : { permission: (0, codec_common_1.hashHex)(permission, `file ${name} permission`) }),
        userMetadata: (0, codec_common_1.decodeUserMetadata)(f.userMetadataLength(), (i) => f.userMetadata(i)),
        size: Number(f.size()),
        digest: (0, codec_common_1.hashHex)(f.contentDigestArray(), `file ${name} digest`),
        chunks: ids.map((id, i) => ({ id, length: lengths[i] })),
    };
}
/** Reads a DirectoryEntry table (also the manifest's root). */
function decodeDirectoryEntry(d) {
    const name = d.name() ?? "";
    const permission = d.permissionArray();
    return {
        fileId: d.fileId().toString(),
        name,
        creationTime: (0, codec_common_1.ticksToMicros)(d.creationTime()),
        lastWriteTime: (0, codec_common_1.ticksToMicros)(d.lastWriteTime()),
        changeTime: (0, codec_common_1.ticksToMicros)(d.changeTime()),
        lastAccessTime: (0, codec_common_1.ticksToMicros)(d.lastAccessTime()),
        attributes: d.attributes(),
        ...(permission === null ? {} : { permission: (0, codec_common_1.hashHex)(permission, `directory ${name} permission`) }),
        userMetadata: (0, codec_common_1.decodeUserMetadata)(d.userMetadataLength(), (i) => d.userMetadata(i)),
        tree: (0, codec_common_1.hashHex)(d.treeArray(), `directory ${name} tree`),
        totalFiles: Number(d.totalFiles()),
        totalDirectories: Number(d.totalDirectories()),
        totalSize: Number(d.totalSize()),
    };
}
function decodeTree(bytes) {
    return (0, codec_common_1.decodeGuard)("tree", () => {
        const t = generated_1.DirectoryMetadata.getRootAsDirectoryMetadata((0, codec_common_1.byteBuffer)(bytes));
        return {
            version: t.formatVersion(),
            value: () => {
                const files = [];
                for (let i = 0; i < t.filesLength(); i++)
                    files.push(decodeFile(t.files(i)));
                const directories = [];
                for (let i = 0; i < t.directoriesLength(); i++)
                    directories.push(decodeDirectoryEntry(t.directories(i)));
                return { fileId: t.fileId().toString(), parentId: t.parentId().toString(), files, directories };
            },
        };
    });
}
//# sourceMappingURL=codec-tree.js.map