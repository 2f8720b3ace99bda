/**
 * Text for `listen`'s stderr lines: what a server sent, made safe and short for one line, and
 * what was sent to it, without credentials (src/http/redaction.ts says what those are).
 */
import { redactHeaderValue } from "../../http/redaction.js";
import { escapeForTerminalLine } from "../../terminal/escape.js";

/** How much of an error body is quoted, in characters. */
const bodyStartLength = 500;

/** The start of an error body on one line: whitespace runs collapsed, escaped, cut. */
export function describeBodyStart(text: string): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  const cut =
    collapsed.length > bodyStartLength ? `${collapsed.slice(0, bodyStartLength)}…` : collapsed;
  return escapeForTerminalLine(cut);
}

/** A request header value for `-v`: it shows that a credential is sent, not the credential. */
export function redactHeader(name: string, value: string): string {
  return escapeForTerminalLine(redactHeaderValue(name, value));
}
