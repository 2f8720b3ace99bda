/**
 * No source file over 400 lines: a file that grows past it holds more than one idea and is split
 * along one (never squeezed to fit).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const maxLines = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : [path];
  });
}

it(`no file under src/ has more than ${maxLines} lines`, () => {
  const files = sourceFiles(join(root, "src"));
  expect(files.length).toBeGreaterThan(50);
  const tooLong = files
    .map((path) => ({
      path: relative(root, path),
      lines: readFileSync(path, "utf8").split("\n").length - 1,
    }))
    .filter((file) => file.lines > maxLines);
  expect(tooLong).toEqual([]);
});
