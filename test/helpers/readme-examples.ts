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

/** One shell command line of a README example: continuation lines joined, comment dropped. */
export interface ShellExample {
  /** Which ```sh block (0-based, in README order): commands of one block run in order. */
  block: number;
  command: string;
}

/** Every command line of every ```sh block of the README, in order. */
export function readmeShellExamples(): ShellExample[] {
  const examples: ShellExample[] = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  let block = 0;
  for (const match of readme.matchAll(fence)) {
    if (match[1] !== "sh") continue;
    for (const line of match[2]!.replace(/\\\n\s*/g, "").split("\n")) {
      const command = withoutComment(line).trim();
      if (command !== "" && !command.startsWith("#")) examples.push({ block, command });
    }
    block++;
  }
  return examples;
}

/** The line without a trailing ` # comment` (a `#` inside quotes is kept). */
function withoutComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote !== "") {
      if (char === quote) quote = "";
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "#" && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** The words of a command line as a shell splits them (quotes removed, no expansion). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote = "";
  for (const char of command) {
    if (quote !== "") {
      if (char === quote) quote = "";
      else word = (word ?? "") + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= "";
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
