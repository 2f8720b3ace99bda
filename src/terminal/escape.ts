/**
 * Makes untrusted text safe to print on a terminal. A server controls every byte of an event
 * stream; printed raw, ESC/CSI/OSC sequences could move the cursor, rewrite earlier lines,
 * change the window title or hide text, and bidi overrides could reorder what the user reads.
 * Everything that could do so is shown as a visible escape (`\x1b`, `\u202e`) instead.
 */

/**
 * C0 controls except TAB and LF, DEL, C1 controls, and the bidirectional formatting characters
 * (LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI, ALM, LRM/RLM), plus the line/paragraph separators that
 * some terminals treat as line breaks.
 */
const unsafeCharacters =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const unsafeTest =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same set plus LF, for text that must stay on one line (names, ids, headers). */
const unsafeOrNewline =
  /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const unsafeOrNewlineTest =
  /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function visibleEscape(character: string): string {
  const code = character.charCodeAt(0);
  if (code === 0x09) return "\\t";
  if (code === 0x0a) return "\\n";
  if (code === 0x0d) return "\\r";
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Whether `text` holds anything `escapeForTerminalLine` would change (LF included). */
export function needsTerminalEscaping(text: string): boolean {
  return unsafeOrNewlineTest.test(text);
}

/** Escapes unsafe characters; keeps TAB and LF (the caller splits lines). */
export function escapeForTerminal(text: string): string {
  // Fast path: most event data is plain text.
  if (!unsafeTest.test(text)) return text;
  return text.replace(unsafeCharacters, visibleEscape);
}

/** Escapes unsafe characters and line breaks: for text that must stay on one line. */
export function escapeForTerminalLine(text: string): string {
  if (!unsafeOrNewlineTest.test(text)) return text;
  return text.replace(unsafeOrNewline, (character) =>
    character === "\t" ? "\t" : visibleEscape(character),
  );
}
