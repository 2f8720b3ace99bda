/**
 * The README's examples, read from README.md itself so each test runs what the README shows:
 * a fenced block right after `<!-- example: <name> -->`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

/** The code of the example block called `name`. */
export function readmeExample(name: string): string {
  const marker = `<!-- example: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at === -1) throw new Error(`README.md has no example "${name}"`);
  const open = readme.indexOf("```", at);
  const start = readme.indexOf("\n", open) + 1;
  const end = readme.indexOf("\n```", start);
  return readme.slice(start, end + 1);
}

/**
 * The `sse-tool ...` command lines of a shell example, each as its arguments (after
 * `sse-tool`, without the trailing comment).
 */
export function readmeCommands(name: string): string[][] {
  return readmeExample(name)
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line.startsWith("sse-tool "))
    .map((line) => line.split(/\s+/).slice(1));
}
