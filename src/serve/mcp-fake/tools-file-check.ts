/**
 * The MCP fake's tools file checked before anything listens: one line per mistake, naming
 * where it is (`tools[2].steps[0]: ...`). Bounded: the text's size and nesting are checked
 * before it is parsed, and the lists' lengths after. Pure.
 */
import { parseBoundedJson } from "../../sse/json-depth.js";
import type { McpFakeTools } from "./tools-file.js";

/** A tools file is a description, not a data set. */
export const maxToolsFileBytes = 4 * 1024 ** 2;

/** Items of each list at most. */
const maxItems = 1000;

const logLevels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

export type ToolsCheck = { tools: McpFakeTools; problems?: undefined } | { problems: string[] };

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The file's text read and checked. */
export function readToolsText(text: string): ToolsCheck {
  if (text.length > maxToolsFileBytes) {
    return { problems: [`the file is over ${maxToolsFileBytes} bytes`] };
  }
  const parsed = parseBoundedJson(text);
  return "problem" in parsed ? { problems: [parsed.problem] } : checkTools(parsed.value);
}

/** A value checked as a tools file (what startMcpFake() is given, too). */
export function checkTools(value: unknown): ToolsCheck {
  if (!isRecord(value)) return { problems: ["expected an object with tools, resources, prompts"] };
  const problems: string[] = [];
  const known = ["server", "instructions", "tools", "resources", "prompts"];
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      problems.push(`unknown key ${JSON.stringify(key)} (known: ${known.join(", ")})`);
  }
  if (value.server !== undefined) {
    if (!isRecord(value.server)) problems.push("server: expected { name, version }");
    else {
      for (const key of ["name", "version"]) {
        const field = value.server[key];
        if (field !== undefined && typeof field !== "string")
          problems.push(`server.${key}: expected a string`);
      }
    }
  }
  if (value.instructions !== undefined && typeof value.instructions !== "string") {
    problems.push("instructions: expected a string");
  }
  eachItem(value.tools, "tools", problems, checkTool);
  eachItem(value.resources, "resources", problems, checkResource);
  eachItem(value.prompts, "prompts", problems, checkPrompt);
  unique(value.tools, "tools", "name", problems);
  unique(value.resources, "resources", "uri", problems);
  unique(value.prompts, "prompts", "name", problems);
  if (problems.length > 0) return { problems };
  return { tools: value as McpFakeTools };
}

function eachItem(
  list: unknown,
  where: string,
  problems: string[],
  check: (item: Json, where: string, problems: string[]) => void,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    problems.push(`${where}: expected a list`);
    return;
  }
  if (list.length > maxItems) {
    problems.push(`${where}: more than ${maxItems} items`);
    return;
  }
  for (const [i, item] of list.entries()) {
    if (!isRecord(item)) problems.push(`${where}[${i}]: expected an object`);
    else check(item, `${where}[${i}]`, problems);
  }
}

function unique(list: unknown, where: string, key: string, problems: string[]): void {
  if (!Array.isArray(list) || list.length > maxItems) return;
  const seen = new Set<unknown>();
  for (const [i, item] of list.entries()) {
    const value = isRecord(item) ? item[key] : undefined;
    if (typeof value !== "string") continue;
    if (seen.has(value))
      problems.push(`${where}[${i}]: ${key} ${JSON.stringify(value)} is given twice`);
    seen.add(value);
  }
}

function needString(item: Json, key: string, where: string, problems: string[]): void {
  if (typeof item[key] !== "string" || item[key] === "") {
    problems.push(`${where}.${key}: expected a non-empty string`);
  }
}

function mayString(item: Json, keys: string[], where: string, problems: string[]): void {
  for (const key of keys) {
    if (item[key] !== undefined && typeof item[key] !== "string") {
      problems.push(`${where}.${key}: expected a string`);
    }
  }
}

function mayObject(item: Json, keys: string[], where: string, problems: string[]): void {
  for (const key of keys) {
    if (item[key] !== undefined && !isRecord(item[key])) {
      problems.push(`${where}.${key}: expected an object`);
    }
  }
}

function checkTool(tool: Json, where: string, problems: string[]): void {
  needString(tool, "name", where, problems);
  mayString(tool, ["title", "description", "text"], where, problems);
  mayObject(tool, ["inputSchema", "outputSchema", "annotations", "result"], where, problems);
  if (tool.result !== undefined && tool.text !== undefined) {
    problems.push(`${where}: give result or text, not both`);
  }
  if (
    isRecord(tool.result) &&
    tool.result.content !== undefined &&
    !Array.isArray(tool.result.content)
  ) {
    problems.push(`${where}.result.content: expected a list`);
  }
  eachItem(tool.steps, `${where}.steps`, problems, checkStep);
}

const isCount = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) && value >= 0;

function checkStep(step: Json, where: string, problems: string[]): void {
  const kinds = ["progress", "log", "waitMs", "closeStream"].filter((key) => key in step);
  if (kinds.length !== 1) {
    problems.push(`${where}: expected one of progress, log, waitMs, closeStream`);
    return;
  }
  if ("progress" in step) {
    if (!isCount(step.progress)) problems.push(`${where}.progress: expected a number, 0 or more`);
    if (step.total !== undefined && !isCount(step.total)) {
      problems.push(`${where}.total: expected a number, 0 or more`);
    }
    mayString(step, ["message"], where, problems);
  } else if ("log" in step) {
    if (typeof step.log !== "string") problems.push(`${where}.log: expected a string`);
    if (step.level !== undefined && !logLevels.includes(step.level as string)) {
      problems.push(`${where}.level: expected one of ${logLevels.join(", ")}`);
    }
  } else if ("waitMs" in step) {
    const ms = step.waitMs;
    if (!(Number.isSafeInteger(ms) && (ms as number) >= 0 && (ms as number) <= 600_000)) {
      problems.push(`${where}.waitMs: expected whole milliseconds, 0 to 600000`);
    }
  } else if (step.closeStream !== true) {
    problems.push(`${where}.closeStream: expected true`);
  }
}

function checkResource(resource: Json, where: string, problems: string[]): void {
  needString(resource, "uri", where, problems);
  mayString(
    resource,
    ["name", "title", "description", "mimeType", "text", "blob"],
    where,
    problems,
  );
  if (resource.text !== undefined && resource.blob !== undefined) {
    problems.push(`${where}: give text or blob, not both`);
  }
}

function checkPrompt(prompt: Json, where: string, problems: string[]): void {
  needString(prompt, "name", where, problems);
  mayString(prompt, ["title", "description"], where, problems);
  eachItem(prompt.arguments, `${where}.arguments`, problems, (argument, at, list) => {
    needString(argument, "name", at, list);
    mayString(argument, ["description"], at, list);
    if (argument.required !== undefined && typeof argument.required !== "boolean") {
      list.push(`${at}.required: expected true or false`);
    }
  });
  if (prompt.messages === undefined) problems.push(`${where}.messages: expected a list`);
  eachItem(prompt.messages, `${where}.messages`, problems, () => {});
}
