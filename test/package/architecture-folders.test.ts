/**
 * docs/architecture.md gives each folder of src/ one line: a newcomer reads it to find where a
 * thing lives. A folder added, moved or removed without its line fails here; a file renamed
 * inside a folder does not (the folder's listing is its table of contents).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const page = readFileSync(join(root, "docs/architecture.md"), "utf8");

/** The folders the page lists: each line that starts "- `src/<folder>/`". */
function listedFolders(text: string): string[] {
  return [...text.matchAll(/^- `(src\/[\w./-]+?)\/`/gm)].map((match) => match[1]!);
}

/** Every folder under src/ that holds a .ts file of its own, as `src/a/b`. */
function sourceFolders(dir: string, path: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const own = entries.some((entry) => entry.isFile() && entry.name.endsWith(".ts")) ? [path] : [];
  return own.concat(
    entries
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => sourceFolders(join(dir, entry.name), `${path}/${entry.name}`)),
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(join(root, path)).isDirectory();
  } catch {
    return false;
  }
}

describe("docs/architecture.md's folder lines", () => {
  const listed = listedFolders(page);
  const onDisk = sourceFolders(join(root, "src"), "src").filter((folder) => folder !== "src");

  it("reads as a list of folders (the parser finds them)", () => {
    expect(listedFolders("- `src/sse/`: the protocol\n- `src/a/b/`: x\n  - `src/no/`")).toEqual([
      "src/sse",
      "src/a/b",
    ]);
    expect(listed).toContain("src/sse");
    expect(onDisk).toContain("src/sse");
  });

  it("has a line for every folder under src/ that holds .ts files, once", () => {
    expect(
      onDisk.filter((folder) => !listed.includes(folder)),
      "folders without a line in docs/architecture.md",
    ).toEqual([]);
    expect(listed.filter((folder, index) => listed.indexOf(folder) !== index)).toEqual([]);
  });

  it("names only folders that exist", () => {
    expect(listed.filter((folder) => !isFolder(folder))).toEqual([]);
  });
});
