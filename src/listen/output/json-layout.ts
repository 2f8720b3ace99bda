/**
 * Lays out JSON event data for the pretty view: coloured, short containers kept on one line,
 * long ones indented. It re-indents the text as the server sent it, token by token, instead of
 * printing `JSON.parse` output, so numbers beyond double precision and string escapes are shown
 * exactly as received. One pass both tokenizes and validates, so non-JSON data costs little.
 */
import { escapeForTerminalLine, isTerminalUnsafeCodeUnit } from "../../terminal/escape.js";

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
 * Containers nested deeper than this are not laid out: the data is shown as text, on one line
 * (escaped). Laying out walks the nesting recursively; the bound keeps that walk short whatever
 * a server sends (JSON 10,000 levels deep is 20 KB).
 */
export const maxLayoutDepth = 100;

/** The tokens of a JSON container, and whether any string needs terminal escaping. */
export interface JsonScan {
  /** Strings (with their quotes), numbers, literals and the punctuation `{}[]:,`, in order. */
  tokens: string[];
  /** A string holds something `escapeForTerminalLine` would change. */
  needsEscaping: boolean;
}

// Parser states for the validating tokenizer.
const expectValue = 0;
const expectValueOrClose = 1;
const expectKey = 2;
const expectKeyOrClose = 3;
const expectColon = 4;
const expectCommaOrClose = 5;
const done = 6;

function isJsonWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * What the scanners below return when no string, number or literal starts at the index.
 */
// Stryker disable next-line UnaryOperator: 1 would send the scan back to index 1, the first token after the opener, never the colon, comma or close the next state needs: still rejected
const notAToken = -1;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Where the JSON string starting at `data[start]` (a quote) ends (the index after its closing
 * quote), or -1 when it is not a valid string. Sets `scan.needsEscaping` when a character in it
 * needs terminal escaping. One forward pass: time linear in the string's length.
 */
function stringEnd(data: string, start: number, scan: JsonScan): number {
  const length = data.length;
  let i = start + 1;
  // Stryker disable next-line EqualityOperator: `<=` reads one past the end, NaN, which no branch below takes: still unterminated (-1)
  while (i < length) {
    const c = data.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const next = data.charCodeAt(i + 1);
      if (
        next === 0x22 ||
        next === 0x5c ||
        next === 0x2f ||
        next === 0x62 ||
        next === 0x66 ||
        next === 0x6e ||
        next === 0x72 ||
        next === 0x74
      ) {
        i += 2;
        continue;
      }
      if (next !== 0x75) return notAToken;
      for (let k = i + 2; k < i + 6; k++) {
        const h = data.charCodeAt(k);
        if (!(isDigit(h) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66))) return notAToken;
      }
      i += 6;
      continue;
    }
    if (c < 0x20) return notAToken;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a fast path (isTerminalUnsafeCodeUnit is false below 0x7f; a flag once set stays set): only `false` changes anything, and the inner if's `false` is the same mutant
    if (c >= 0x7f && !scan.needsEscaping) {
      if (isTerminalUnsafeCodeUnit(c)) scan.needsEscaping = true;
    }
    i++;
  }
  return notAToken;
}

/** Where the JSON number starting at `data[start]` ends, or -1 when it is not one. */
function numberEnd(data: string, start: number): number {
  let i = start;
  if (data.charCodeAt(i) === 0x2d) i++;
  const first = data.charCodeAt(i);
  if (!isDigit(first)) return notAToken;
  if (first === 0x30) i++;
  else while (isDigit(data.charCodeAt(++i)));
  if (data.charCodeAt(i) === 0x2e) {
    if (!isDigit(data.charCodeAt(++i))) return notAToken;
    while (isDigit(data.charCodeAt(++i)));
  }
  const e = data.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    const sign = data.charCodeAt(++i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(data.charCodeAt(i))) return notAToken;
    while (isDigit(data.charCodeAt(++i)));
  }
  return i;
}

/** Where the literal `true`, `false` or `null` at `data[start]` ends, or -1 when there is none. */
function literalEnd(data: string, start: number): number {
  const c = data.charCodeAt(start);
  const literal = c === 0x74 ? "true" : c === 0x66 ? "false" : "null";
  return data.startsWith(literal, start) ? start + literal.length : notAToken;
}

/**
 * The tokens of `data` when it is a JSON object or array (RFC 8259) nested at most
 * `maxLayoutDepth` deep, else undefined. Only data starting with `{` or `[` is scanned: plain
 * text events pay one character comparison. A hand-written scanner, one pass that stops at the
 * first error: time linear in the data whatever it holds (a regular expression with a quantified
 * group inside a quantifier backtracks exponentially on an unterminated string).
 */
export function jsonContainerTokens(data: string): JsonScan | undefined {
  const first = data.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  const scan: JsonScan = { tokens: [], needsEscaping: false };
  const tokens = scan.tokens;
  const length = data.length;
  const stack: number[] = []; // 0x7b for objects, 0x5b for arrays
  let state = expectValue;
  let i = 0;
  while (i < length) {
    const c = data.charCodeAt(i);
    if (isJsonWhitespace(c)) {
      i++;
      continue;
    }
    if (state === done) return undefined;
    switch (state) {
      case expectKeyOrClose:
      case expectKey:
        if (c === 0x22) {
          const end = stringEnd(data, i, scan);
          // Stryker disable next-line ConditionalExpression: without it, i = -1 reads NaN, which the next state (a colon, a comma or a close) rejects: the same undefined
          if (end === notAToken) return undefined;
          tokens.push(data.slice(i, end));
          i = end;
          state = expectColon;
          continue;
        }
        if (c !== 0x7d || state !== expectKeyOrClose) return undefined;
        state = close(stack, 0x7b);
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
      default: {
        // expectValue or expectValueOrClose
        if (c === 0x7b || c === 0x5b) {
          if (stack.length >= maxLayoutDepth) return undefined;
          stack.push(c);
          state = c === 0x7b ? expectKeyOrClose : expectValueOrClose;
          break;
        }
        if (c === 0x5d && state === expectValueOrClose) {
          state = close(stack, 0x5b);
          break;
        }
        let end: number;
        if (c === 0x22) end = stringEnd(data, i, scan);
        else if (c === 0x2d || isDigit(c)) end = numberEnd(data, i);
        else end = literalEnd(data, i);
        // Stryker disable next-line ConditionalExpression: without it, i = -1 reads NaN, which the next state (a colon, a comma or a close) rejects: the same undefined
        if (end === notAToken) return undefined;
        tokens.push(data.slice(i, end));
        i = end;
        // Inside a container: the data starts with `{` or `[`, so no value is at the top level.
        state = expectCommaOrClose;
        continue;
      }
    }
    if (state === -1) return undefined;
    // V8 keeps one string per single character code: no allocation per `{`, `,`, ...
    tokens.push(String.fromCharCode(c));
    i++;
  }
  return state === done ? scan : undefined;
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
  const scan = jsonContainerTokens(json);
  if (!scan) throw new Error("not a JSON object or array");
  return layoutJsonTokens(scan.tokens, palette, maxWidth, scan.needsEscaping);
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
      : first === 0x74 || first === 0x66 || first === 0x6e
        ? "literal"
        : "number";
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
