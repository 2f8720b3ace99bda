/**
 * Lays out JSON event data for the pretty view: indented, coloured, short containers kept on
 * one line. It re-indents the text as the server sent it (token by token) instead of printing
 * `JSON.parse` output, so numbers beyond double precision and string escapes are shown exactly
 * as received.
 */
import { escapeForTerminalLine } from "./terminal-escape.js";

/** How each kind of token is painted; identity functions give plain text. */
export interface JsonPalette {
  key: (text: string) => string;
  string: (text: string) => string;
  number: (text: string) => string;
  literal: (text: string) => string;
  punctuation: (text: string) => string;
}

type JsonNode =
  | { kind: "scalar"; text: string; paint: keyof JsonPalette }
  | { kind: "array"; items: JsonNode[]; width: number }
  | { kind: "object"; entries: Array<{ key: string; value: JsonNode }>; width: number };

const tokenPattern = /\s*("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null|[{}[\]:,])/y;

/** Data worth laying out as JSON: an object or array that parses. Cheap check first. */
export function looksLikeJsonContainer(data: string): boolean {
  const first = data.charCodeAt(0);
  // Only `{` or `[` at the very start: plain text events never pay for JSON.parse.
  if (first !== 0x7b && first !== 0x5b) return false;
  try {
    JSON.parse(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the lines of `json` (which must be valid JSON) laid out to fit `maxWidth` columns
 * where possible, each line without indentation prefix of its own beyond the JSON nesting.
 */
export function layoutJson(json: string, palette: JsonPalette, maxWidth: number): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  for (let match = tokenPattern.exec(json); match; match = tokenPattern.exec(json)) {
    tokens.push(match[1]!);
  }
  const position = { index: 0 };
  const root = parseNode(tokens, position);
  const lines: string[] = [];
  emit(root, "", "", 0, "", palette, maxWidth, lines);
  return lines;
}

function parseNode(tokens: string[], position: { index: number }): JsonNode {
  const token = tokens[position.index++] ?? "null";
  if (token === "{") {
    const entries: Array<{ key: string; value: JsonNode }> = [];
    let width = 2;
    while (tokens[position.index] !== "}" && position.index < tokens.length) {
      const key = tokens[position.index++]!;
      position.index++; // ":"
      const value = parseNode(tokens, position);
      entries.push({ key, value });
      width += key.length + 2 + nodeWidth(value) + (entries.length > 1 ? 2 : 0);
      if (tokens[position.index] === ",") position.index++;
    }
    position.index++; // "}"
    return { kind: "object", entries, width };
  }
  if (token === "[") {
    const items: JsonNode[] = [];
    let width = 2;
    while (tokens[position.index] !== "]" && position.index < tokens.length) {
      const value = parseNode(tokens, position);
      items.push(value);
      width += nodeWidth(value) + (items.length > 1 ? 2 : 0);
      if (tokens[position.index] === ",") position.index++;
    }
    position.index++; // "]"
    return { kind: "array", items, width };
  }
  const first = token.charCodeAt(0);
  const paint: keyof JsonPalette =
    first === 0x22
      ? "string"
      : first === 0x2d || (first >= 0x30 && first <= 0x39)
        ? "number"
        : "literal";
  return { kind: "scalar", text: token, paint };
}

function nodeWidth(node: JsonNode): number {
  return node.kind === "scalar" ? node.text.length : node.width;
}

function inline(node: JsonNode, palette: JsonPalette): string {
  if (node.kind === "scalar") return palette[node.paint](escapeForTerminalLine(node.text));
  if (node.kind === "array") {
    if (node.items.length === 0) return palette.punctuation("[]");
    const parts = node.items.map((item) => inline(item, palette));
    return `${palette.punctuation("[")}${parts.join(palette.punctuation(", "))}${palette.punctuation("]")}`;
  }
  if (node.entries.length === 0) return palette.punctuation("{}");
  const parts = node.entries.map(
    ({ key, value }) =>
      `${palette.key(escapeForTerminalLine(key))}${palette.punctuation(": ")}${inline(value, palette)}`,
  );
  return `${palette.punctuation("{")}${parts.join(palette.punctuation(", "))}${palette.punctuation("}")}`;
}

function emit(
  node: JsonNode,
  indent: string,
  prefix: string,
  prefixWidth: number,
  suffix: string,
  palette: JsonPalette,
  maxWidth: number,
  lines: string[],
): void {
  // `prefix` is the painted `"key": ` in front of this value, `prefixWidth` its visible width.
  if (node.kind === "scalar" || indent.length + prefixWidth + nodeWidth(node) + 1 <= maxWidth) {
    lines.push(`${indent}${prefix}${inline(node, palette)}${suffix}`);
    return;
  }
  const inner = `${indent}  `;
  const comma = palette.punctuation(",");
  if (node.kind === "array") {
    lines.push(`${indent}${prefix}${palette.punctuation("[")}`);
    node.items.forEach((item, i) => {
      emit(item, inner, "", 0, i < node.items.length - 1 ? comma : "", palette, maxWidth, lines);
    });
    lines.push(`${indent}${palette.punctuation("]")}${suffix}`);
    return;
  }
  lines.push(`${indent}${prefix}${palette.punctuation("{")}`);
  node.entries.forEach(({ key, value }, i) => {
    const keyPrefix = `${palette.key(escapeForTerminalLine(key))}${palette.punctuation(": ")}`;
    emit(
      value,
      inner,
      keyPrefix,
      key.length + 2,
      i < node.entries.length - 1 ? comma : "",
      palette,
      maxWidth,
      lines,
    );
  });
  lines.push(`${indent}${palette.punctuation("}")}${suffix}`);
}
