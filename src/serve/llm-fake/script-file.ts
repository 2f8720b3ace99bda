/**
 * Reads `--script <file>`: the JSON read and checked, or its mistakes as lines to print (the
 * command exits 2 with one line per mistake).
 */
import { readFile } from "node:fs/promises";
import { SseToolError } from "../../errors.js";
import { parseBoundedJson } from "../../sse/json-depth.js";
import type { LlmFakeScript } from "./script.js";
import { checkLlmFakeScript } from "./script-check.js";

/** A script is a page of replies, not a data set. */
const maxScriptBytes = 16 * 1024 ** 2;

export async function readLlmFakeScript(
  file: string,
): Promise<{ script: LlmFakeScript } | { problems: string[] }> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > maxScriptBytes) {
      return { problems: [`larger than ${maxScriptBytes / 1024 ** 2} MiB`] };
    }
    text = bytes.toString("utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SseToolError("input", `cannot read ${file}: ${reason}`, { cause: error });
  }
  const parsed = parseBoundedJson(text);
  if ("problem" in parsed) return { problems: [parsed.problem] };
  const checked = checkLlmFakeScript(parsed.value);
  return checked.problems === undefined ? { script: checked.script } : checked;
}
