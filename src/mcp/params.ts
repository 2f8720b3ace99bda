/**
 * What the words after the URL ask for: nothing (the summary), `watch`, `call <tool> [args]`,
 * or a JSON-RPC method with its params as one JSON object or HTTPie-style items (`key=text`,
 * `key:=json`). Pure.
 */
import { SseToolError } from "../errors.js";
import { jsonNestsDeeperThan } from "../sse/json-depth.js";

export type McpAction =
  | { kind: "summary" }
  | { kind: "watch" }
  | { kind: "request"; method: string; params: Record<string, unknown> | undefined };

export function parseAction(words: readonly string[]): McpAction {
  const [first, ...rest] = words;
  if (first === undefined) return { kind: "summary" };
  if (first === "watch" && rest.length === 0) return { kind: "watch" };
  if (first === "call") {
    const [name, ...items] = rest;
    if (name === undefined || name === "") {
      throw new SseToolError("usage", "call needs a tool name: call <tool> [key=value ...]");
    }
    return {
      kind: "request",
      method: "tools/call",
      params: { name, arguments: parseParams(items) ?? {} },
    };
  }
  return { kind: "request", method: first, params: parseParams(rest) };
}

/** One JSON object, or items; undefined when there are none. */
export function parseParams(words: readonly string[]): Record<string, unknown> | undefined {
  if (words.length === 0) return undefined;
  if (words.length === 1 && words[0]!.trimStart().startsWith("{")) {
    const value = parseJson(words[0]!, "params");
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new SseToolError("usage", "params must be one JSON object");
    }
    return value as Record<string, unknown>;
  }
  const params: Record<string, unknown> = {};
  for (const word of words) {
    const equals = word.indexOf("=");
    const isJson = equals > 0 && word[equals - 1] === ":";
    const key = equals === -1 ? "" : word.slice(0, isJson ? equals - 1 : equals);
    if (key === "") {
      throw new SseToolError(
        "usage",
        `expected key=value or key:=json, got ${JSON.stringify(word)}`,
      );
    }
    const raw = word.slice(equals + 1);
    params[key] = isJson ? parseJson(raw, key) : raw;
  }
  return params;
}

function parseJson(text: string, what: string): unknown {
  if (jsonNestsDeeperThan(text)) throw new SseToolError("usage", `${what}: JSON nested too deep`);
  try {
    return JSON.parse(text);
  } catch {
    throw new SseToolError("usage", `${what}: not valid JSON: ${text}`);
  }
}

/**
 * The params with a progress token in `_meta` (unless the user gave one), so a server that
 * reports progress only when asked to (the spec's way) does so.
 */
export function withProgressToken(
  params: Record<string, unknown> | undefined,
  token: string,
): Record<string, unknown> {
  const meta = params?._meta;
  if (typeof meta === "object" && meta !== null && "progressToken" in meta) return params!;
  const metaRecord = typeof meta === "object" && meta !== null ? meta : {};
  return { ...params, _meta: { ...metaRecord, progressToken: token } };
}
