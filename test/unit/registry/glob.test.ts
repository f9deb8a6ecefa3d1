/** Include/exclude glob patterns: what they match and what they refuse. */
import { GlobError, compileGlob, matchesAny } from "../../../src/core/registry/glob";

describe("compileGlob", () => {
  test.each([
    ["*.tmp", "a.tmp", true],
    ["*.tmp", "dir/sub/a.tmp", true],
    ["*.tmp", "a.tmpx", false],
    ["/logs/*.log", "logs/x.log", true],
    ["logs/*.log", "logs/deep/x.log", false],
    ["logs/*.log", "other/logs/x.log", false],
    ["logs/**", "logs/a/b/c", true],
    ["**/cache/*", "a/b/cache/x", true],
    ["**/cache/*", "cache/x", true],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/x/y/b", true],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file12.txt", false],
    ["[abc].md", "b.md", true],
    ["[!abc].md", "b.md", false],
    ["[a-c]x", "cx", true],
    ["*.{bak,tmp}", "x.bak", true],
    ["*.{bak,tmp}", "x.old", false],
    ["a+b(1).txt", "a+b(1).txt", true],
  ])("%j vs %j -> %s", (pattern, path, expected) => {
    expect(compileGlob(pattern).test(path)).toBe(expected);
  });

  test.each([
    ["", /non-empty/],
    ["a**b", /whole path segment/],
    ["a\\b", /is not allowed/],
    ["a//b", /empty segments/],
    ["a/", /empty segments/],
    ["../x", /'\.\.' segments/],
    ["[abc", /no matching '\]'/],
    ["{a,b", /no matching '}'/],
    ["a}", /no matching '{'/],
    ["{a,{b}}", /nested/],
    ["a\u0001", /control characters/],
    ["x".repeat(1025), /at most 1024/],
  ])("refuses %j", (pattern, message) => {
    expect(() => compileGlob(pattern)).toThrow(GlobError);
    expect(() => compileGlob(pattern)).toThrow(message);
  });

  test("matchesAny", () => {
    expect(matchesAny(["*.tmp", "cache/**"], "cache/a/b")).toBe(true);
    expect(matchesAny(["*.tmp", "cache/**"], "docs/a.txt")).toBe(false);
  });
});
