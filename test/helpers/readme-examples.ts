/**
 * The documentation's examples, read from README.md and docs/*.md themselves so each test runs
 * what a reader sees: a fenced block right after `<!-- example: <name> -->`, or every ```sh
 * block.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** One page of the documentation: its path from the repository root, and its text. */
export interface DocPage {
  path: string;
  text: string;
}

/** README.md, then docs/*.md in name order. */
export function docPages(): DocPage[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs].map((path) => ({
    path,
    text: readFileSync(join(root, path), "utf8"),
  }));
}

/** The code of the example block called `name`, on whichever page holds it. */
export function readmeExample(name: string): string {
  const marker = `<!-- example: ${name} -->`;
  const page = docPages().find(({ text }) => text.includes(marker));
  if (page === undefined) throw new Error(`no README.md or docs/*.md page has example "${name}"`);
  const { text } = page;
  const open = text.indexOf("```", text.indexOf(marker));
  const start = text.indexOf("\n", open) + 1;
  const end = text.indexOf("\n```", start);
  return text.slice(start, end + 1);
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

/** One shell command line of an example: continuation lines joined, comment dropped. */
export interface ShellExample {
  /** Which ```sh block (0-based, over all pages in docPages() order): commands of one block run in order. */
  block: number;
  command: string;
  /** The page it is on (README.md, docs/serve.md, ...); absent for --help's and the demo's. */
  page?: string;
}

/** Every command line of every ```sh block of README.md and docs/*.md, in order. */
export function readmeShellExamples(): ShellExample[] {
  const examples: ShellExample[] = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  let block = 0;
  for (const { path, text } of docPages()) {
    for (const match of text.matchAll(fence)) {
      if (match[1] !== "sh") continue;
      for (const line of match[2]!.replace(/\\\n\s*/g, "").split("\n")) {
        const command = withoutComment(line).trim();
        if (command !== "" && !command.startsWith("#"))
          examples.push({ block, command, page: path });
      }
      block++;
    }
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
