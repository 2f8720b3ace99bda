/**
 * Every relative link of README.md and docs/*.md leads somewhere: the file exists and, when the
 * link names an anchor, the page has a heading with that anchor (as GitHub makes them). Moving a
 * section between pages fails here until its links follow it.
 */
import { existsSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { docPages } from "../helpers/readme-examples.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const pages = docPages();
const pageText = new Map(pages.map(({ path, text }) => [path, text]));

/** The text outside fenced code blocks (a `# comment` in a shell block is no heading). */
function prose(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to -. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of prose(text).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = match[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** The relative link targets of a page (no scheme, not only `mailto:`), outside code. */
function relativeLinks(text: string): string[] {
  const withoutCode = prose(text).replace(/`[^`\n]*`/g, "");
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

/** Why a link from `from` is broken, or undefined when it leads somewhere. */
function brokenBecause(from: string, target: string): string | undefined {
  const [file, anchor] = target.split("#", 2) as [string, string | undefined];
  const path = file === "" ? from : normalize(join(dirname(from), file)).replaceAll("\\", "/");
  if (!existsSync(join(root, path))) return "no such file";
  if (anchor === undefined) return undefined;
  const text = pageText.get(path);
  if (text === undefined) return `an anchor in ${path}, which is not a page checked here`;
  return anchors(text).has(anchor) ? undefined : `${path} has no heading #${anchor}`;
}

describe("the links of README.md and docs/*.md", () => {
  it("finds headings and links as GitHub renders them", () => {
    expect(
      anchors("# `sse-tool serve [file]`\n## Security model\n## `--token`\n## Faults\n## Faults"),
    ).toEqual(new Set(["sse-tool-serve-file", "security-model", "--token", "faults", "faults-1"]));
    expect(anchors("```sh\n# a comment\n```\n")).toEqual(new Set());
    expect(relativeLinks("[a](docs/x.md) [b](https://x.org) `[c](y.md)` [d](#e)")).toEqual([
      "docs/x.md",
      "#e",
    ]);
    expect(brokenBecause("README.md", "docs/nope.md")).toBe("no such file");
    expect(brokenBecause("README.md", "docs/serve.md#no-such-heading")).toBe(
      "docs/serve.md has no heading #no-such-heading",
    );
  });

  it("the README links every page of docs/", () => {
    const linked = new Set(relativeLinks(pageText.get("README.md")!).map((t) => t.split("#")[0]));
    const docs = pages.map(({ path }) => path).filter((path) => path.startsWith("docs/"));
    expect(docs.length).toBeGreaterThan(8);
    expect(docs.filter((path) => !linked.has(path))).toEqual([]);
  });

  it("every relative link points to an existing file and heading", () => {
    const broken: string[] = [];
    for (const { path, text } of pages) {
      for (const target of relativeLinks(text)) {
        const why = brokenBecause(path, target);
        if (why !== undefined) broken.push(`${path}: (${target}) ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
