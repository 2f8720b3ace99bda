/**
 * Makes untrusted text safe to print on a terminal: the one escaper for every path that shows a
 * server's or a user's bytes (events, ids, headers, error messages, stats, doctor's report).
 * A server controls every byte of an event stream; printed raw, ESC/CSI/OSC sequences could
 * move the cursor, rewrite earlier lines, write the clipboard (OSC 52) or change the window
 * title, bidi overrides could reorder what the user reads, and invisible characters could hide
 * text. Everything that could do so is shown as a visible escape (`\x1b`, `\u202e`) instead.
 *
 * What is escaped (the set, decided once here):
 * - C0 controls except TAB (and LF where lines are kept), DEL, and the C1 controls U+0080-U+009F;
 * - bidirectional formatting: ALM U+061C, LRM/RLM U+200E/U+200F, LRE..RLO U+202A-U+202E,
 *   LRI..PDI U+2066-U+2069;
 * - line and paragraph separators U+2028/U+2029 (some terminals break lines on them);
 * - invisible characters that hide or split text: soft hyphen U+00AD, Hangul fillers U+115F,
 *   U+1160, U+3164, U+FFA0, Mongolian vowel separator U+180E, zero-width space/non-joiner/joiner
 *   U+200B-U+200D, word joiner and invisible operators U+2060-U+2064, the zero-width no-break
 *   space / BOM U+FEFF, interlinear annotation marks U+FFF9-U+FFFB, and the tag characters
 *   U+E0000-U+E007F (invisible ASCII, used to smuggle text past a reader). A ZWJ inside an emoji
 *   sequence is escaped too: an inspector shows what was sent. Variation selectors are kept.
 */

/** The C0 controls of the set (TAB and LF are decided by each function). */
const c0Class = "\\x00-\\x08\\x0b-\\x1f";
/** The rest of the set below U+10000, as the body of a regular expression character class. */
const beyondC0Class =
  "\\x7f-\\x9f\\xad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f" +
  "\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb";
const unsafeBmpClass = c0Class + beyondC0Class;
/** A tag character U+E0000-U+E007F, as its UTF-16 surrogate pair. */
const tagCharacter = "\\udb40[\\udc00-\\udc7f]";

const unsafeCharacters = new RegExp(`[${unsafeBmpClass}]|${tagCharacter}`, "g");
const unsafeTest = new RegExp(`[${unsafeBmpClass}]|${tagCharacter}`);
/** The same set plus LF, for text that must stay on one line (names, ids, headers). */
const unsafeOrNewline = new RegExp(`[\\n${unsafeBmpClass}]|${tagCharacter}`, "g");
const unsafeOrNewlineTest = new RegExp(`[\\n${unsafeBmpClass}]|${tagCharacter}`);
/** What JSON.stringify leaves as it is but a terminal must not see (C0 is escaped by JSON). */
const unsafeInJson = new RegExp(`[${beyondC0Class}]|${tagCharacter}`, "g");

/**
 * Whether one UTF-16 code unit starts something `escapeForTerminalLine` would change (LF
 * included; a high surrogate U+DB40 counts, as it may start a tag character). For scanners that
 * walk text themselves (src/listen/output/json-layout.ts); agrees with the set above.
 */
export function isTerminalUnsafeCodeUnit(code: number): boolean {
  if (code < 0x20) return code !== 0x09;
  if (code < 0x7f) return false;
  if (code <= 0x9f || code === 0xad) return true;
  if (code < 0x061c) return false;
  return (
    code === 0x061c ||
    code === 0x115f ||
    code === 0x1160 ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x3164 ||
    code === 0xdb40 ||
    code === 0xfeff ||
    code === 0xffa0 ||
    (code >= 0xfff9 && code <= 0xfffb)
  );
}

function visibleEscape(character: string): string {
  const code = character.charCodeAt(0);
  if (code === 0x09) return "\\t";
  if (code === 0x0a) return "\\n";
  if (code === 0x0d) return "\\r";
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (character.length === 2) return `\\u{${character.codePointAt(0)!.toString(16)}}`;
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

function jsonEscape(character: string): string {
  let out = "";
  for (let i = 0; i < character.length; i++) {
    out += `\\u${character.charCodeAt(i).toString(16).padStart(4, "0")}`;
  }
  return out;
}

/**
 * JSON text (from JSON.stringify) made safe for a terminal and still valid JSON: what JSON
 * leaves raw but a terminal would act on (DEL, C1 controls, bidi and invisible characters) is
 * written as `\uXXXX` (a tag character as its surrogate pair). Such characters can only be
 * inside JSON strings, where `\uXXXX` means the same character. For `--json` on a terminal only:
 * off a terminal the output stays byte-exact JSON.stringify.
 */
export function escapeJsonForTerminal(json: string): string {
  unsafeInJson.lastIndex = 0;
  if (!unsafeInJson.test(json)) return json;
  return json.replace(unsafeInJson, jsonEscape);
}
