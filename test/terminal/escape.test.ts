/**
 * The one escaper (src/terminal/escape.ts): every character of the decided set is shown as a
 * visible escape on every path, and --json on a terminal stays valid JSON.
 */
import { describe, expect, it } from "vitest";
import {
  escapeForTerminal,
  escapeForTerminalLine,
  escapeJsonForTerminal,
  isTerminalUnsafeCodeUnit,
  needsTerminalEscaping,
} from "../../src/terminal/escape.js";

/** One of each kind the escaper promises to neutralise. */
const unsafe: Array<[name: string, character: string, shown: string]> = [
  ["ESC (CSI/OSC start)", "\x1b", "\\x1b"],
  ["BEL (OSC end)", "\x07", "\\x07"],
  ["CR", "\r", "\\r"],
  ["DEL", "\x7f", "\\x7f"],
  ["C1 CSI", "\x9b", "\\x9b"],
  ["C1 NEL", "\x85", "\\x85"],
  ["soft hyphen", "\u00ad", "\\xad"],
  ["Arabic letter mark", "\u061c", "\\u061c"],
  ["Hangul filler", "\u3164", "\\u3164"],
  ["Mongolian vowel separator", "\u180e", "\\u180e"],
  ["zero-width space", "\u200b", "\\u200b"],
  ["zero-width non-joiner", "\u200c", "\\u200c"],
  ["zero-width joiner", "\u200d", "\\u200d"],
  ["left-to-right mark", "\u200e", "\\u200e"],
  ["right-to-left mark", "\u200f", "\\u200f"],
  ["line separator", "\u2028", "\\u2028"],
  ["paragraph separator", "\u2029", "\\u2029"],
  ["right-to-left override", "\u202e", "\\u202e"],
  ["word joiner", "\u2060", "\\u2060"],
  ["invisible separator", "\u2063", "\\u2063"],
  ["first strong isolate", "\u2068", "\\u2068"],
  ["zero-width no-break space (BOM)", "\ufeff", "\\ufeff"],
  ["interlinear annotation anchor", "\ufff9", "\\ufff9"],
  ["tag LATIN CAPITAL A", "\u{e0041}", "\\u{e0041}"],
  ["cancel tag", "\u{e007f}", "\\u{e007f}"],
];

describe("escapeForTerminal / escapeForTerminalLine", () => {
  it.each(unsafe)("%s is shown as a visible escape", (_name, character, shown) => {
    const text = `a${character}b`;
    expect(escapeForTerminal(text)).toBe(`a${shown}b`);
    expect(escapeForTerminalLine(text)).toBe(`a${shown}b`);
    expect(needsTerminalEscaping(text)).toBe(true);
  });

  it("keeps TAB, keeps LF only where lines are kept, and leaves text, emoji and accents alone", () => {
    expect(escapeForTerminal("a\tb\nc")).toBe("a\tb\nc");
    expect(escapeForTerminalLine("a\tb\nc")).toBe("a\tb\\nc");
    const plain = "héllo 世界 ❤️ 👍🏽 \u{1f600} \ud83d";
    expect(escapeForTerminalLine(plain)).toBe(plain);
    expect(needsTerminalEscaping(plain)).toBe(false);
  });

  it("an OSC 52 clipboard write and a title change are shown, not run", () => {
    const osc = "id-\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;owned\x9c";
    expect(escapeForTerminalLine(osc)).toBe(
      "id-\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\x1b]0;owned\\x9c",
    );
  });

  it("agrees with isTerminalUnsafeCodeUnit on every UTF-16 code unit", () => {
    const disagreements: number[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const character = String.fromCharCode(code);
      // U+DB40 alone is not escaped; it may start a tag character, so scanners stop at it.
      const escaped = code === 0xdb40 || escapeForTerminalLine(character) !== character;
      if (escaped !== isTerminalUnsafeCodeUnit(code)) disagreements.push(code);
    }
    expect(disagreements).toEqual([]);
  });
});

describe("escapeJsonForTerminal (--json on a terminal)", () => {
  const hostile = `a\u202eb\u0085c\u009b31m\u200bd\u{e0041}e\x7f\ufeff"\\\x1b`;

  it("escapes what JSON.stringify leaves raw, and the result parses to the same value", () => {
    const json = JSON.stringify({ data: hostile });
    const safe = escapeJsonForTerminal(json);
    expect(safe).toBe(
      '{"data":"a\\u202eb\\u0085c\\u009b31m\\u200bd\\udb40\\udc41e\\u007f\\ufeff\\"\\\\\\u001b"}',
    );
    expect(JSON.parse(safe)).toEqual({ data: hostile });
    expect(needsTerminalEscaping(safe)).toBe(false);
  });

  it("returns plain JSON unchanged", () => {
    const json = JSON.stringify({ data: "héllo ❤️", id: "1" });
    expect(escapeJsonForTerminal(json)).toBe(json);
  });
});
