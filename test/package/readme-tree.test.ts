/**
 * The README's architecture tree names every source file once, and only files that exist: a
 * newcomer reads it to find where a thing lives, so a file added, moved or removed without it
 * fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The fenced block that holds the tree (the one listing src/cli.ts). */
function treeBlock(): string[] {
  const blocks = readme.split(/^```.*$/m).filter((_, index) => index % 2 === 1);
  const tree = blocks.find((block) => /^src\/cli\.ts\s/m.test(block));
  if (tree === undefined) throw new Error("README.md has no architecture tree listing src/cli.ts");
  return tree.split("\n");
}

/**
 * The paths the tree lists: `src/x.ts  text` lines name a file; `src/dir/` lines open a folder
 * whose indented `name.ts  text` (or `sub/name.ts`) lines follow.
 */
function listedSourceFiles(lines: string[]): string[] {
  const listed: string[] = [];
  let folder: string | undefined;
  for (const line of lines) {
    const topLevel = /^(src\/[\w./-]*)(\s|$)/.exec(line);
    if (topLevel) {
      const path = topLevel[1]!;
      if (path.endsWith("/")) folder = path;
      else {
        listed.push(path);
        folder = undefined;
      }
      continue;
    }
    if (!/^\s/.test(line)) {
      folder = undefined;
      continue;
    }
    const entry = /^ {2}([\w./-]+\.[a-z]+)(\s|$)/.exec(line);
    if (entry && folder !== undefined) listed.push(folder + entry[1]);
  }
  return listed;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : [relative(root, path).replaceAll("\\", "/")];
  });
}

describe("the README's architecture tree", () => {
  const listed = listedSourceFiles(treeBlock());

  it("reads as a tree (the parser finds the files it lists)", () => {
    expect(listed.length).toBeGreaterThan(50);
    expect(listed).toContain("src/cli.ts");
    expect(listed).toContain("src/sse/decoder.ts");
  });

  it("names every file under src/ once", () => {
    const onDisk = sourceFiles(join(root, "src")).sort();
    const missing = onDisk.filter((path) => !listed.includes(path));
    expect(missing, "files the README tree does not list").toEqual([]);
    const twice = listed.filter((path, index) => listed.indexOf(path) !== index);
    expect(twice, "files the README tree lists twice").toEqual([]);
  });

  it("names no file that does not exist", () => {
    const onDisk = new Set(sourceFiles(join(root, "src")));
    expect(listed.filter((path) => !onDisk.has(path))).toEqual([]);
  });
});
