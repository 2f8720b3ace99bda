/**
 * Lays out JSON event data for the pretty view: coloured, short containers kept on one line,
 * long ones indented. It re-indents the text as the server sent it, token by token, instead of
 * printing `JSON.parse` output, so numbers beyond double precision and string escapes are shown
 * exactly as received. One pass both tokenizes and validates, so non-JSON data costs little.
 */
import { escapeForTerminalLine, needsTerminalEscaping } from "../../terminal/escape.js";

/** How each kind of token is painted; identity functions give plain text. */
export interface JsonPalette {
  key: (text: string) => string;
  string: (text: string) => string;
  number: (text: string) => string;
  literal: (text: string) => string;
  punctuation: (text: string) => string;
}

type JsonNode =
  | { kind: "scalar"; text: string; paint: "string" | "number" | "literal" }
  | { kind: "array"; items: JsonNode[]; width: number }
  | { kind: "object"; entries: Array<{ key: string; value: JsonNode }>; width: number };

/**
 * RFC 8259 tokens, each after optional whitespace: string, number, literal, punctuation. Global:
 * one `String.prototype.match` call collects every token natively (a sticky `exec` per token
 * allocated a match object each and cost about twice as much; issue 8).
 */
const tokenPattern =
  /[ \t\n\r]*(?:"(?:[^"\\\u0000-\u001f]+|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null|[{}[\]:,])/g;
/**
 * The same tokens with strings limited to characters `escapeForTerminalLine` leaves alone (keep
 * in step with src/terminal/escape.ts): data that scans with it needs no escaping pass.
 */
const terminalSafeTokenPattern =
  /[ \t\n\r]*(?:"(?:[^"\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null|[{}[\]:,])/g;

// Parser states for the validating tokenizer.
const expectValue = 0;
const expectValueOrClose = 1;
const expectKey = 2;
const expectKeyOrClose = 3;
const expectColon = 4;
const expectCommaOrClose = 5;
const done = 6;

/**
 * The tokens of `data` when it is a JSON object or array (RFC 8259), else undefined. Only data
 * starting with `{` or `[` is scanned: plain text events pay one character comparison. With
 * `terminalSafeStrings`, data whose strings hold anything `escapeForTerminalLine` would change
 * also gives undefined (the caller then scans again without it and escapes).
 */
export function jsonContainerTokens(
  data: string,
  terminalSafeStrings = false,
): string[] | undefined {
  const first = data.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  const tokens = data.match(terminalSafeStrings ? terminalSafeTokenPattern : tokenPattern);
  if (tokens === null) return undefined;
  // Matches never overlap and come in order, so they cover `data` without a gap exactly when
  // their lengths add up to it (less the whitespace after the value).
  let end = data.length;
  for (let c = data.charCodeAt(end - 1); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; ) {
    c = data.charCodeAt(--end - 1);
  }
  let covered = 0;
  const stack: number[] = []; // 0x7b for objects, 0x5b for arrays
  let state = expectValue;
  for (let i = 0; i < tokens.length; i++) {
    if (state === done) return undefined;
    let token = tokens[i]!;
    covered += token.length;
    const lead = token.charCodeAt(0);
    if (lead === 0x20 || lead === 0x09 || lead === 0x0a || lead === 0x0d) {
      token = token.trimStart();
      tokens[i] = token;
    }
    const c = token.charCodeAt(0);
    switch (state) {
      case expectKeyOrClose:
      case expectKey:
        if (c === 0x22) state = expectColon;
        else if (c === 0x7d && state === expectKeyOrClose) state = close(stack, 0x7b);
        else return undefined;
        break;
      case expectColon:
        if (c !== 0x3a) return undefined;
        state = expectValue;
        break;
      case expectCommaOrClose:
        if (c === 0x2c) state = stack[stack.length - 1] === 0x7b ? expectKey : expectValue;
        else if (c === 0x7d || c === 0x5d) state = close(stack, c === 0x7d ? 0x7b : 0x5b);
        else return undefined;
        break;
      default:
        // expectValue or expectValueOrClose
        if (c === 0x7b) {
          stack.push(0x7b);
          state = expectKeyOrClose;
        } else if (c === 0x5b) {
          stack.push(0x5b);
          state = expectValueOrClose;
        } else if (c === 0x5d && state === expectValueOrClose) {
          state = close(stack, 0x5b);
        } else if (c === 0x7d || c === 0x5d || c === 0x3a || c === 0x2c) {
          return undefined;
        } else {
          state = stack.length === 0 ? done : expectCommaOrClose;
        }
    }
    if (state === -1) return undefined;
  }
  return state === done && covered === end ? tokens : undefined;
}

/** Pops the container `opener`; the next state, `done` at the top level, or -1 on mismatch. */
function close(stack: number[], opener: number): number {
  if (stack.pop() !== opener) return -1;
  return stack.length === 0 ? done : expectCommaOrClose;
}

/** Data worth laying out as JSON: an object or array that parses. */
export function looksLikeJsonContainer(data: string): boolean {
  return jsonContainerTokens(data) !== undefined;
}

/**
 * The lines of valid JSON `tokens` laid out to fit `maxWidth` columns where possible. `escapeText`
 * false skips terminal escaping (the caller checked the whole text has nothing to escape).
 */
export function layoutJsonTokens(
  tokens: string[],
  palette: JsonPalette,
  maxWidth: number,
  escapeText = true,
): string[] {
  // Fast path: the whole value fits on one line (the usual case for streamed JSON).
  let width = 0;
  for (const token of tokens) width += token.length + (token === "," || token === ":" ? 1 : 0);
  if (width <= maxWidth) return [inlineTokens(tokens, 0, tokens.length, palette, escapeText)];
  const position = { index: 0 };
  const root = parseNode(tokens, position);
  const lines: string[] = [];
  emit(root, "", "", 0, "", palette, maxWidth, lines, escapeText);
  return lines;
}

/** Convenience for tests: tokens and layout of `json` (which must be an object or array). */
export function layoutJson(json: string, palette: JsonPalette, maxWidth: number): string[] {
  const tokens = jsonContainerTokens(json);
  if (!tokens) throw new Error("not a JSON object or array");
  return layoutJsonTokens(tokens, palette, maxWidth, needsTerminalEscaping(json));
}

function inlineTokens(
  tokens: string[],
  start: number,
  end: number,
  palette: JsonPalette,
  escapeText: boolean,
): string {
  let out = "";
  for (let i = start; i < end; i++) {
    const token = tokens[i]!;
    const c = token.charCodeAt(0);
    if (c === 0x22) {
      const text = escapeText ? escapeForTerminalLine(token) : token;
      out += tokens[i + 1] === ":" ? palette.key(text) : palette.string(text);
    } else if (c === 0x2c) {
      out += palette.punctuation(", ");
    } else if (c === 0x3a) {
      out += palette.punctuation(": ");
    } else if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d) {
      out += palette.punctuation(token);
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      out += palette.literal(token);
    } else {
      out += palette.number(token);
    }
  }
  return out;
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
  const paint =
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

function inline(node: JsonNode, palette: JsonPalette, escapeText: boolean): string {
  if (node.kind === "scalar") {
    return palette[node.paint](escapeText ? escapeForTerminalLine(node.text) : node.text);
  }
  if (node.kind === "array") {
    if (node.items.length === 0) return palette.punctuation("[]");
    const parts = node.items.map((item) => inline(item, palette, escapeText));
    return `${palette.punctuation("[")}${parts.join(palette.punctuation(", "))}${palette.punctuation("]")}`;
  }
  if (node.entries.length === 0) return palette.punctuation("{}");
  const parts = node.entries.map(
    ({ key, value }) =>
      `${palette.key(escapeText ? escapeForTerminalLine(key) : key)}${palette.punctuation(": ")}${inline(value, palette, escapeText)}`,
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
  escapeText: boolean,
): void {
  // `prefix` is the painted `"key": ` in front of this value, `prefixWidth` its visible width.
  if (node.kind === "scalar" || indent.length + prefixWidth + nodeWidth(node) + 1 <= maxWidth) {
    lines.push(`${indent}${prefix}${inline(node, palette, escapeText)}${suffix}`);
    return;
  }
  const inner = `${indent}  `;
  const comma = palette.punctuation(",");
  if (node.kind === "array") {
    lines.push(`${indent}${prefix}${palette.punctuation("[")}`);
    node.items.forEach((item, i) => {
      const itemSuffix = i < node.items.length - 1 ? comma : "";
      emit(item, inner, "", 0, itemSuffix, palette, maxWidth, lines, escapeText);
    });
    lines.push(`${indent}${palette.punctuation("]")}${suffix}`);
    return;
  }
  lines.push(`${indent}${prefix}${palette.punctuation("{")}`);
  node.entries.forEach(({ key, value }, i) => {
    const keyText = escapeText ? escapeForTerminalLine(key) : key;
    const keyPrefix = `${palette.key(keyText)}${palette.punctuation(": ")}`;
    const entrySuffix = i < node.entries.length - 1 ? comma : "";
    emit(
      value,
      inner,
      keyPrefix,
      key.length + 2,
      entrySuffix,
      palette,
      maxWidth,
      lines,
      escapeText,
    );
  });
  lines.push(`${indent}${palette.punctuation("}")}${suffix}`);
}
