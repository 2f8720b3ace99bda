/** Table-driven tests of the pure pieces behind `listen`: formatting, colour, policy, headers. */
import { Chalk } from "chalk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeNetworkError } from "../../src/http/network-error.js";
import {
  buildRequestHeaders,
  lastEventIdHeaderValue,
  parseHeaderOptions,
} from "../../src/http/request-headers.js";
import { describeBodyStart, redactHeader } from "../../src/listen/output/diagnostic-text.js";
import {
  jsonContainerTokens,
  layoutJson,
  layoutJsonTokens,
  looksLikeJsonContainer,
  maxLayoutDepth,
} from "../../src/listen/output/json-layout.js";
import {
  formatJsonComment,
  formatJsonLine,
  quotesAsIs,
} from "../../src/listen/output/json-lines.js";
import { hashName, PrettyEventFormatter } from "../../src/listen/output/pretty.js";
import { formatRunSummary } from "../../src/listen/output/run-summary.js";
import { formatClockTime } from "../../src/listen/output/time-column.js";
import { ReconnectPolicy } from "../../src/sse/reconnect-policy.js";
import { judgeResponse, mimeEssence } from "../../src/sse/response-verdict.js";
import { decideColorLevel } from "../../src/terminal/color-level.js";
import { escapeForTerminal, escapeForTerminalLine } from "../../src/terminal/escape.js";
import { formatBytes, formatDelay } from "../../src/terminal/units.js";

describe("escapeForTerminal", () => {
  it.each([
    ["plain text", "plain text"],
    ["tab\tand\nnewline kept", "tab\tand\nnewline kept"],
    ["\x1b[2J clear", "\\x1b[2J clear"],
    ["\x1b]0;title\x07", "\\x1b]0;title\\x07"],
    ["nul\0 bs\b cr\r", "nul\\x00 bs\\x08 cr\\r"],
    ["del\x7f c1\x9b csi \x85", "del\\x7f c1\\x9b csi \\x85"],
    ["\u202egnp.exe \u2066iso\u2069", "\\u202egnp.exe \\u2066iso\\u2069"],
    ["line\u2028sep", "line\\u2028sep"],
    ["émoji 🌍 中文 \uFFFD", "émoji 🌍 中文 \uFFFD"],
  ])("%j -> %j", (input, expected) => {
    expect(escapeForTerminal(input)).toBe(expected);
  });

  it("the one-line variant also escapes LF but keeps TAB", () => {
    expect(escapeForTerminalLine("a\nb\tc\x1b")).toBe("a\\nb\tc\\x1b");
  });
});

describe("decideColorLevel", () => {
  it.each([
    [{ colorFlag: true, env: {}, isTTY: true }, 1],
    [{ colorFlag: true, env: {}, isTTY: true, terminalLevel: 3 as const }, 3],
    [{ colorFlag: true, env: {}, isTTY: false }, 0],
    [{ colorFlag: false, env: {}, isTTY: true }, 0],
    [{ colorFlag: true, env: { NO_COLOR: "1" }, isTTY: true }, 0],
    [{ colorFlag: true, env: { NO_COLOR: "" }, isTTY: true }, 1],
    [{ colorFlag: true, env: { FORCE_COLOR: "1" }, isTTY: false }, 1],
    [{ colorFlag: true, env: { FORCE_COLOR: "3" }, isTTY: false }, 3],
    [{ colorFlag: true, env: { FORCE_COLOR: "0" }, isTTY: true }, 0],
    [{ colorFlag: true, env: { FORCE_COLOR: "1", NO_COLOR: "1" }, isTTY: true }, 0],
    [{ colorFlag: false, env: { FORCE_COLOR: "1" }, isTTY: true }, 0],
    [{ colorFlag: true, env: { TERM: "dumb" }, isTTY: true }, 0],
  ])("%j -> level %i", (inputs, expected) => {
    expect(decideColorLevel(inputs)).toBe(expected);
  });
});

describe("PrettyEventFormatter (no colour)", () => {
  const formatter = new PrettyEventFormatter({ chalk: new Chalk({ level: 0 }), width: 60 });
  const event = (data: string, type = "message", lastEventId = "") => ({ type, data, lastEventId });

  it.each([
    [event("hello"), "10:00:00.000 message hello\n"],
    [event("hello", "tick", "42"), "10:00:00.000 tick id=42 hello\n"],
    [event(""), "10:00:00.000 message (empty)\n"],
    [event("a\nb"), "10:00:00.000 message\n  a\n  b\n"],
    [event('{"a":1,"b":[true,null]}'), '10:00:00.000 message {"a": 1, "b": [true, null]}\n'],
    [event("[1, 2]"), "10:00:00.000 message [1, 2]\n"],
    [event("{not json"), "10:00:00.000 message {not json\n"],
    [event("42"), "10:00:00.000 message 42\n"],
    [event("x\x1b[2Jy", "ev\nil", "i\x1bd"), "10:00:00.000 ev\\nil id=i\\x1bd x\\x1b[2Jy\n"],
    [
      event(
        '{"choices":[{"delta":{"content":"Hello, this is long enough to wrap"},"index":0}],"model":"m"}',
      ),
      [
        "10:00:00.000 message",
        "  {",
        '    "choices": [',
        "      {",
        '        "delta": {',
        '          "content": "Hello, this is long enough to wrap"',
        "        },",
        '        "index": 0',
        "      }",
        "    ],",
        '    "model": "m"',
        "  }",
        "",
      ].join("\n"),
    ],
  ])("%j", (input, expected) => {
    expect(formatter.formatEvent(input, "10:00:00.000")).toBe(expected);
  });

  it("keeps numbers and escapes exactly as sent", () => {
    expect(formatter.formatEvent(event('{"n":12345678901234567890,"s":"\\u00e9\\n"}'), "t")).toBe(
      't message {"n": 12345678901234567890, "s": "\\u00e9\\n"}\n',
    );
  });

  it("formats comments on one line, escaped", () => {
    expect(formatter.formatComment("ping\x1b", "10:00:00.000")).toBe("10:00:00.000 : ping\\x1b\n");
  });
});

describe("PrettyEventFormatter (colour)", () => {
  const formatter = new PrettyEventFormatter({ chalk: new Chalk({ level: 1 }) });

  it("gives an event type the same colour every time, and types different colours", () => {
    const a = formatter.eventName("update");
    expect(formatter.eventName("update")).toBe(a);
    expect(a).toMatch(/^\x1b\[1m\x1b\[\d+mupdate\x1b\[39m\x1b\[22m$/);
    const colours = new Set(
      ["message", "update", "ping", "delta", "done", "error"].map(
        (name) => /\x1b\[(\d+)mname/.exec(formatter.eventName(name).replace(name, "name"))?.[1],
      ),
    );
    expect(colours.size).toBeGreaterThan(2);
  });

  it("hashes names to fixed values (FNV-1a, then mixed): the same colours in every run", () => {
    // Written down once: a change of hash or palette order changes every user's colours.
    expect(["update", "message", "ping", "delta", "done", "error", ""].map(hashName)).toEqual([
      1717547782, 1227856445, 2768600025, 1027410269, 3553414714, 3336726690, 372931385,
    ]);
    const colourCode = (name: string) =>
      /^\x1b\[1m\x1b\[(\d+)m/.exec(formatter.eventName(name))?.[1];
    // `message` (unnamed events) is bold in the neutral colour; red is not in the palette.
    expect(["message", "update", "ping", "delta", "done", "error"].map(colourCode)).toEqual([
      undefined,
      "96",
      "35",
      "92",
      "33",
      "33",
    ]);
  });

  it("colours JSON tokens", () => {
    const lines = layoutJson(
      '{"k":"v","n":1,"t":true}',
      {
        key: (t) => `<k>${t}`,
        string: (t) => `<s>${t}`,
        number: (t) => `<n>${t}`,
        literal: (t) => `<l>${t}`,
        punctuation: (t) => t,
      },
      80,
    );
    expect(lines).toEqual(['{<k>"k": <s>"v", <k>"n": <n>1, <k>"t": <l>true}']);
  });
});

describe("PrettyEventFormatter (clocks, ids, widths, large data, comments)", () => {
  const plain = () => new PrettyEventFormatter({ chalk: new Chalk({ level: 0 }) });
  const coloured = (sourceLabel?: string) =>
    new PrettyEventFormatter({ chalk: new Chalk({ level: 1 }), sourceLabel, sourceLabelWidth: 6 });
  const event = (data: string, lastEventId = "", inheritedId?: true) =>
    inheritedId
      ? { type: "message", data, lastEventId, inheritedId }
      : { type: "message", data, lastEventId };
  const bold = (t: string) => `\x1b[1m${t}\x1b[22m`;
  const dim = (t: string) => `\x1b[2m${t}\x1b[22m`;

  it("shows the time column when there is one, and no space when there is none", () => {
    const formatter = plain();
    expect(formatter.formatEvent(event("a"), "")).toBe("message a\n");
    expect(formatter.formatEvent(event("b"), "10:00:00.000")).toBe("10:00:00.000 message b\n");
    expect(formatter.formatEvent(event("c"), "10:00:00.001")).toBe("10:00:00.001 message c\n");
    expect(formatter.formatEvent(event("d"), "")).toBe("message d\n");
    expect(coloured().formatEvent(event("e"), "10:00")).toBe(
      `${dim("10:00")} ${bold("message")} e\n`,
    );
  });

  it("shows an id the event carried as id=, one inherited from an earlier event dimmed", () => {
    expect(plain().formatEvent(event("x", "3"), "T")).toBe("T message id=3 x\n");
    expect(plain().formatEvent(event("x", "i\x1bd", true), "T")).toBe("T message (id i\\x1bd) x\n");
    expect(coloured().formatEvent(event("x", "3", true), "")).toBe(
      `${bold("message")} ${dim("(id 3)")} x\n`,
    );
    expect(coloured().formatEvent(event(""), "")).toBe(`${bold("message")} ${dim("(empty)")}\n`);
  });

  it("paints JSON keys blue, strings green, numbers yellow, literals magenta", () => {
    expect(coloured().formatEvent(event('{"k":"v","n":1,"t":null}'), "")).toBe(
      `${bold("message")} {\x1b[34m"k"\x1b[39m: \x1b[32m"v"\x1b[39m, \x1b[34m"n"\x1b[39m: \x1b[33m1\x1b[39m, \x1b[34m"t"\x1b[39m: \x1b[35mnull\x1b[39m}\n`,
    );
  });

  it("lays JSON out in 100 columns by default, less the data's indent", () => {
    const fits = `["${"x".repeat(94)}"]`; // 98 columns
    const wide = `["${"x".repeat(95)}"]`;
    expect(plain().formatEvent(event(fits), "T")).toBe(`T message ${fits}\n`);
    expect(plain().formatEvent(event(wide), "T")).toBe(
      `T message\n  [\n    "${"x".repeat(95)}"\n  ]\n`,
    );
  });

  it("shortens data over 16 KiB to its first 2 KiB, never splitting a surrogate pair, unless --full", () => {
    const tail = "… [32770 bytes in all; --full shows all]\n";
    expect(plain().formatEvent(event("é".repeat(16384)), "T")).toBe(
      `T message ${"é".repeat(16384)}\n`,
    );
    expect(plain().formatEvent(event("é".repeat(16385)), "T")).toBe(
      `T message ${"é".repeat(2048)}${tail}`,
    );
    const full = new PrettyEventFormatter({ chalk: new Chalk({ level: 0 }), full: true });
    expect(full.formatEvent(event("é".repeat(16385)), "T")).toBe(
      `T message ${"é".repeat(16385)}\n`,
    );
    const start = (data: string) =>
      plain()
        .formatEvent(event(data), "T")
        .replace(/… \[\d+ bytes in all; --full shows all\]\n$/, "");
    const more = "a".repeat(20_000);
    const a2047 = "a".repeat(2047);
    expect(start(`${a2047}😀${more}`)).toBe(`T message ${a2047}`);
    expect(start(`${a2047}\udbff\udfff${more}`)).toBe(`T message ${a2047}`);
    expect(start(`${a2047}\ud800\udc00${more}`)).toBe(`T message ${a2047}`);
    expect(start(`a${a2047.slice(2)}😀${more}`)).toBe(`T message a${a2047.slice(2)}😀`);
    expect(start(`${a2047}\ud7ff${more}`)).toBe(`T message ${a2047}\ud7ff`);
    expect(start(`${a2047}\udc00${more}`)).toBe(`T message ${a2047}\udc00`);
    expect(start(`a\nb${more}`)).toBe(`T message a\\nb${"a".repeat(2045)}`);
    expect(coloured().formatEvent(event(more), "")).toBe(
      `${bold("message")} ${"a".repeat(2048)}${dim("… [20000 bytes in all; --full shows all]")}\n`,
    );
  });

  it("lays out JSON data up to 256 KiB (with --full), longer JSON is shown as text", () => {
    const full = new PrettyEventFormatter({ chalk: new Chalk({ level: 0 }), full: true });
    const inside = "x".repeat(256 * 1024 - 4);
    expect(full.formatEvent(event(`["${inside}"]`), "T")).toBe(
      `T message\n  [\n    "${inside}"\n  ]\n`,
    );
    expect(full.formatEvent(event(`["${inside}x"]`), "T")).toBe(`T message ["${inside}x"]\n`);
  });

  it("formats comments dimmed, with or without a time and a source label", () => {
    expect(plain().formatComment("hb\n", "")).toBe(": hb\\n\n");
    expect(coloured().formatComment("hb", "10:00")).toBe(`${dim("10:00 : hb")}\n`);
    expect(coloured("news").formatComment("hb", "10:00")).toBe(
      `${dim("10:00")} ${bold("[news]")}   ${dim(": hb")}\n`,
    );
    expect(coloured("news").formatComment("hb", "")).toBe(`${bold("[news]")}   ${dim(": hb")}\n`);
  });

  it("pads a source label to its width, and never pads one already wider", () => {
    const labelled = (width: number) =>
      new PrettyEventFormatter({
        chalk: new Chalk({ level: 0 }),
        sourceLabel: "news",
        sourceLabelWidth: width,
      }).formatEvent({ type: "tick", data: "x", lastEventId: "" }, "T");
    expect(labelled(7)).toBe("T [news]    tick x\n");
    expect(labelled(2)).toBe("T [news] tick x\n");
  });
});

describe("JSON detection (validating tokenizer)", () => {
  it.each([
    ['{"a":1}', true],
    ["[]", true],
    ['[[1],{"a":[]}, -0.5e+3, true, false, null, "\\u00e9\\n"]', true],
    ['{ "a" : [ 1 , 2 ] }\n', true],
    ["{", false],
    [" {}", false],
    ["42", false],
    ['"str"', false],
    ["hello", false],
    ["{'a':1}", false],
    ["[1,]", false],
    ['{"a"}', false],
    ['{"a":1,}', false],
    ["[1 2]", false],
    ["{}x", false],
    ["{}{}", false],
    ["[01]", false],
    ["[1.]", false],
    ['["\\x"]', false],
    ['["\u0001"]', false],
    ["[}", false],
    ['{"a":1]', false],
    ["[NaN]", false],
    ['{\r\n\t"a"\r\n:\t1\r\n}', true],
    ['["\\"\\\\\\/\\b\\f\\n\\r\\t"]', true],
    ['["\\uABCD\\uEFab\\ucdef\\u0189"]', true],
    ['["\\x0041"]', false],
    ['["\\u12"]', false],
    ['["\\u00/0"]', false],
    ['["\\u00:0"]', false],
    ['["\\u00@0"]', false],
    ['["\\u00G0"]', false],
    ['["\\u00`0"]', false],
    ['["\\u00g0"]', false],
    ["[1e5, 1E5, 1e-5, 1E+5, -0, 0.5, -12.25e2, 90]", true],
    ["[1e]", false],
    ["[1e+]", false],
    ["[1e,1]", false],
    ["[-]", false],
    ["[-x]", false],
    ["[--1]", false],
    ["[-.5]", false],
    ['{"a";1}', false],
    ["[trux]", false],
    ["[falsx]", false],
    ["[nulx]", false],
    ["[abcd]", false],
    ["[[1}1]", false],
    ["[[1}]", false],
  ])("%j -> %s", (data, expected) => {
    expect(looksLikeJsonContainer(data)).toBe(expected);
    let parses = false;
    try {
      JSON.parse(data);
      parses = true;
    } catch {}
    expect(expected).toBe(parses && (data.startsWith("{") || data.startsWith("[")));
  });

  it("agrees with JSON.parse on arbitrary JSON and arbitrary strings", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())),
        (value) => {
          expect(looksLikeJsonContainer(JSON.stringify(value))).toBe(true);
          expect(looksLikeJsonContainer(JSON.stringify(value, null, 2))).toBe(true);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'{}[]:," 0123456789.-eEtruefalsn\\x') }),
        (text) => {
          let parses = false;
          try {
            JSON.parse(text);
            parses = true;
          } catch {}
          const container = text.startsWith("{") || text.startsWith("[");
          expect(looksLikeJsonContainer(text)).toBe(parses && container);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("JSON tokens and layout", () => {
  const plain = (t: string) => t;
  const plainPalette = {
    key: plain,
    string: plain,
    number: plain,
    literal: plain,
    punctuation: plain,
  };
  const marked = {
    key: (t: string) => `<k>${t}`,
    string: (t: string) => `<s>${t}`,
    number: (t: string) => `<n>${t}`,
    literal: (t: string) => `<l>${t}`,
    punctuation: (t: string) => `<p>${t}`,
  };

  it("gives the tokens as sent, whitespace dropped, and whether a string needs escaping", () => {
    expect(jsonContainerTokens('{ "a" : [1, -2.5e3, true, "\\u001b"] }')).toEqual({
      tokens: ["{", '"a"', ":", "[", "1", ",", "-2.5e3", ",", "true", ",", '"\\u001b"', "]", "}"],
      needsEscaping: false,
    });
    expect(jsonContainerTokens('["~", "é😀", "\\u202e"]')?.needsEscaping).toBe(false);
    for (const unsafe of ['["\u007f"]', '["\u009b"]', '{"\u202e":1}', '["a", "b\u2028"]']) {
      expect(jsonContainerTokens(unsafe)?.needsEscaping).toBe(true);
    }
  });

  it("lays out containers nested up to 100 deep, not deeper", () => {
    expect(maxLayoutDepth).toBe(100);
    const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    expect(jsonContainerTokens(deep(100))?.tokens).toHaveLength(200);
    expect(jsonContainerTokens(deep(101))).toBeUndefined();
    // The depth is what is open at once: two branches of 100 pass, one of 101 does not.
    expect(jsonContainerTokens(`[${deep(99)},{"a":${deep(98)}}]`)?.tokens).toHaveLength(401);
    expect(jsonContainerTokens(`[${deep(99)},{"a":${deep(99)}}]`)).toBeUndefined();
  });

  it("keeps a value on one line when it fits the width exactly, breaks it one column narrower", () => {
    // [1, 2] is 6 columns, {"a": 1} is 8.
    expect(layoutJson("[1,2]", plainPalette, 6)).toEqual(["[1, 2]"]);
    expect(layoutJson("[1,2]", plainPalette, 5)).toEqual(["[", "  1,", "  2", "]"]);
    expect(layoutJson('{"a":1}', plainPalette, 8)).toEqual(['{"a": 1}']);
    expect(layoutJson('{"a":1}', plainPalette, 7)).toEqual(["{", '  "a": 1', "}"]);
  });

  it("paints every kind of token, on one line and laid out", () => {
    const json = '{"k":[false,null,-1,"s",[],{}],"o":{"x":true}}';
    expect(layoutJson(json, marked, 80)).toEqual([
      '<p>{<k>"k"<p>: <p>[<l>false<p>, <l>null<p>, <n>-1<p>, <s>"s"<p>, <p>[<p>]<p>, <p>{<p>}<p>]<p>, <k>"o"<p>: <p>{<k>"x"<p>: <l>true<p>}<p>}',
    ]);
    expect(layoutJson(json, marked, 30)).toEqual([
      "<p>{",
      '  <k>"k"<p>: <p>[',
      "    <l>false<p>,",
      "    <l>null<p>,",
      "    <n>-1<p>,",
      '    <s>"s"<p>,',
      "    <p>[]<p>,",
      "    <p>{}",
      "  <p>]<p>,",
      '  <k>"o"<p>: <p>{<k>"x"<p>: <l>true<p>}',
      "<p>}",
    ]);
  });

  it("escapes keys and strings for the terminal, on one line and laid out", () => {
    expect(layoutJson('{"\u009b":"\u202e"}', plainPalette, 80)).toEqual(['{"\\x9b": "\\u202e"}']);
    expect(layoutJson('{"\u009b":"\u202e"}', plainPalette, 5)).toEqual([
      "{",
      '  "\\x9b": "\\u202e"',
      "}",
    ]);
    expect(layoutJson('[{"\u009b":"\u202e"},1]', plainPalette, 14)).toEqual([
      "[",
      '  {"\\x9b": "\\u202e"},',
      "  1",
      "]",
    ]);
    // Escaping is on unless the caller says the tokens need none.
    expect(layoutJsonTokens(["[", '"\u009b"', "]"], plainPalette, 80)).toEqual(['["\\x9b"]']);
    expect(layoutJsonTokens(["[", '"\u009b"', "]"], plainPalette, 80, false)).toEqual([
      '["\u009b"]',
    ]);
  });

  it("keeps a nested value on its line when it fits with its key and comma, breaks it one column narrower", () => {
    // {"b": 1, "c": 2, "e": 3} is 24 columns, [1, 2, 3] 9; each sits after `  "a": ` (7).
    const json = '{"a":{"b":1,"c":2,"e":3},"d":[1,2,3]}';
    expect(layoutJson(json, plainPalette, 32)).toEqual([
      "{",
      '  "a": {"b": 1, "c": 2, "e": 3},',
      '  "d": [1, 2, 3]',
      "}",
    ]);
    const objectBroken = ['  "a": {', '    "b": 1,', '    "c": 2,', '    "e": 3', "  },"];
    expect(layoutJson(json, plainPalette, 31)).toEqual([
      "{",
      ...objectBroken,
      '  "d": [1, 2, 3]',
      "}",
    ]);
    expect(layoutJson(json, plainPalette, 17)).toEqual([
      "{",
      ...objectBroken,
      '  "d": [1, 2, 3]',
      "}",
    ]);
    expect(layoutJson(json, plainPalette, 16)).toEqual([
      "{",
      ...objectBroken,
      '  "d": [',
      "    1,",
      "    2,",
      "    3",
      "  ]",
      "}",
    ]);
  });

  it("paints numbers from 0 to 9 and negative ones as numbers when laid out", () => {
    expect(layoutJson("[0,9,-1,0.5,90]", marked, 4)).toEqual([
      "<p>[",
      "  <n>0<p>,",
      "  <n>9<p>,",
      "  <n>-1<p>,",
      "  <n>0.5<p>,",
      "  <n>90",
      "<p>]",
    ]);
  });

  it("closes a token list cut short and shows it as far as it goes, a missing value as null", () => {
    // Not from jsonContainerTokens (always whole values), but the layout must still end.
    expect(layoutJsonTokens(["[", "1", ",", "2"], plainPalette, 0)).toEqual([
      "[",
      "  1,",
      "  2",
      "]",
    ]);
    expect(layoutJsonTokens(["{", '"a"', ":", "1"], plainPalette, 0)).toEqual([
      "{",
      '  "a": 1',
      "}",
    ]);
    expect(layoutJsonTokens(["{", '"a"', ":", "1", ",", '"b"', ":"], plainPalette, 0)).toEqual([
      "{",
      '  "a": 1,',
      '  "b": null',
      "}",
    ]);
  });

  it("refuses data that is not a JSON object or array", () => {
    expect(() => layoutJson('"text"', plainPalette, 80)).toThrow("not a JSON object or array");
  });
});

describe("formatJsonLine", () => {
  // The reference: JSON.stringify of the object, keys in order. formatJsonLine builds the line
  // by hand, keeps the part before the id from the last call, and quotes short plain ids
  // without JSON.stringify; every one of those must give the same bytes.
  const reference = (
    event: { type: string; data: string; lastEventId: string },
    time: string,
    source?: string,
  ) =>
    `${JSON.stringify(
      source === undefined
        ? { time, event: event.type, id: event.lastEventId, data: event.data }
        : { time, source, event: event.type, id: event.lastEventId, data: event.data },
    )}\n`;
  /** Values at the edges of the fast path: controls, quote, backslash, surrogates, length 64. */
  const edgy = fc.constantFrom(
    "",
    "7",
    "plain id",
    "\u001f",
    "a\u001fb",
    "\u0000",
    " ",
    "~\u007f",
    '"',
    "\\",
    "\ud800",
    "\udfff",
    "😀",
    "é",
    "x".repeat(63),
    "x".repeat(64),
    `${"x".repeat(63)}"`,
  );

  it("gives JSON.stringify's bytes for any sequence of events, times, types and sources", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.constantFrom("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z"),
            source: fc.option(fc.constantFrom("http://a/", 'http://b/"\u001f'), {
              nil: undefined,
            }),
            type: fc.oneof(edgy, fc.string({ maxLength: 5 })),
            lastEventId: fc.oneof(edgy, fc.string({ maxLength: 70 })),
            data: fc.oneof(edgy, fc.string({ maxLength: 5 })),
          }),
          { maxLength: 12 },
        ),
        (events) => {
          for (const { time, source, ...event } of events) {
            expect(formatJsonLine(event, time, source)).toBe(reference(event, time, source));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("escapes U+001F and the rest of C0 in an id, a type and a source (JSON may not hold them raw)", () => {
    for (let code = 0; code < 0x20; code++) {
      const character = String.fromCharCode(code);
      const event = { type: `t${character}`, data: "d", lastEventId: `i${character}` };
      const line = formatJsonLine(event, "T", `s${character}`);
      expect(line).toBe(reference(event, "T", `s${character}`));
      expect(JSON.parse(line)).toEqual({
        time: "T",
        source: `s${character}`,
        event: event.type,
        id: event.lastEventId,
        data: "d",
      });
    }
  });

  it("quotes by itself only short values JSON.stringify leaves as they are", () => {
    const plainValues = ["", " ", "!#[]~\u007f", "plain id", "é\u2028", "\ud7ff", "\ue000\uffff"];
    for (const value of [...plainValues, "x".repeat(63)]) {
      expect(quotesAsIs(value)).toBe(true);
      expect(JSON.stringify(value)).toBe(`"${value}"`);
    }
    // Controls, quote, backslash, any surrogate (a pair too: rare in ids), 64 units or more.
    for (const value of [
      "\u001f",
      "a\u0000",
      '"',
      "a\\b",
      "\ud800",
      "\udbff\udfff",
      "😀",
      "x".repeat(64),
    ]) {
      expect(quotesAsIs(value)).toBe(false);
    }
  });

  it("writes exactly time, event, id, data in that order", () => {
    const line = formatJsonLine(
      { type: "up\x1bdate", data: 'a\n"b"\u2028', lastEventId: "" },
      "2026-01-01T00:00:00.000Z",
    );
    expect(line).toBe(
      '{"time":"2026-01-01T00:00:00.000Z","event":"up\\u001bdate","id":"","data":"a\\n\\"b\\"\u2028"}\n',
    );
    expect(Object.keys(JSON.parse(line))).toEqual(["time", "event", "id", "data"]);
    expect(formatJsonComment("hb", "T")).toBe('{"time":"T","comment":"hb"}\n');
    expect(formatJsonComment('h"\u001f', "T", "http://a/\u001f")).toBe(
      `${JSON.stringify({ time: "T", source: "http://a/\u001f", comment: 'h"\u001f' })}\n`,
    );
  });
});

describe("formatJsonLine --json-data", () => {
  const line = (data: string, parseData = true) =>
    formatJsonLine({ type: "message", data, lastEventId: "" }, "T", undefined, parseData);

  it("puts object and array data in as compact JSON, leading whitespace allowed", () => {
    expect(line('{ "a" : [1, 2.50, "x\\u0041"] }')).toBe(
      '{"time":"T","event":"message","id":"","data":{"a":[1,2.5,"xA"]}}\n',
    );
    expect(line(" \n[true, null]")).toBe(
      '{"time":"T","event":"message","id":"","data":[true,null]}\n',
    );
  });

  it("keeps any other data a string: scalars, invalid JSON, nesting past 256 levels", () => {
    expect(line("42")).toBe('{"time":"T","event":"message","id":"","data":"42"}\n');
    expect(line('"s"')).toBe('{"time":"T","event":"message","id":"","data":"\\"s\\""}\n');
    expect(line("null")).toBe('{"time":"T","event":"message","id":"","data":"null"}\n');
    expect(line("{not json")).toBe('{"time":"T","event":"message","id":"","data":"{not json"}\n');
    expect(line('{"a":1}', false)).toBe(
      '{"time":"T","event":"message","id":"","data":"{\\"a\\":1}"}\n',
    );
    // Nesting past 256 levels stays a string, on every engine: JSON.stringify runs out of stack
    // on 200,000 levels on Node 22 and 24 and not on 26, and jq 1.6 reads at most 256.
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    expect(line(deep)).toBe(`{"time":"T","event":"message","id":"","data":"${deep}"}\n`);
    const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
    expect(line(nested(257))).toBe(
      `{"time":"T","event":"message","id":"","data":"${nested(257)}"}\n`,
    );
    expect(line(` ${nested(256)}`)).toBe(
      `{"time":"T","event":"message","id":"","data":${nested(256)}}\n`,
    );
  });
});

describe("summary", () => {
  it.each([
    [
      { events: 1, shownEvents: 1, bytes: 10, durationMs: 1234, reconnects: 1 },
      "1 event, 10 B, 1.2 s, 1 reconnect",
    ],
    [
      { events: 5, shownEvents: 2, bytes: 2048, durationMs: 61_000, reconnects: 0 },
      "5 events (2 shown), 2.0 KiB, 1 min 1 s, 0 reconnects",
    ],
  ])("%j", (totals, expected) => {
    expect(formatRunSummary(totals)).toBe(expected);
  });
  it("formats sizes", () => {
    expect(formatBytes(3 * 1024 ** 2)).toBe("3.0 MiB");
  });
  it("formats the receive time as local HH:MM:SS.mmm", () => {
    expect(formatClockTime(new Date(2026, 0, 1, 9, 5, 7, 8))).toBe("09:05:07.008");
  });
});

describe("ReconnectPolicy", () => {
  it("waits the reconnection time first, then backs off while no event arrives", () => {
    const policy = new ReconnectPolicy({ reconnectionTimeMs: 50 });
    const delays = Array.from({ length: 12 }, () => {
      const decision = policy.next();
      return decision.reconnect ? decision.delayMs : -1;
    });
    // 50 ms is under the 100 ms floor: the first wait is the floor.
    expect(delays).toEqual([
      100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000,
    ]);
    policy.eventReceived();
    expect(policy.next()).toEqual({ reconnect: true, delayMs: 100, attemptsWithoutEvent: 1 });
  });

  it("caps a huge server retry: and backs off from retry: 0", () => {
    const policy = new ReconnectPolicy({ reconnectionTimeMs: 3000 });
    expect(policy.setServerRetry(999_999_999_999)).toBe(60_000);
    expect(policy.setServerRetry(0)).toBe(0);
    expect([policy.next(), policy.next()].map((d) => (d.reconnect ? d.delayMs : -1))).toEqual([
      100, 200,
    ]);
  });

  it("never reconnects sooner than 100 ms, even when every connection brings an event", () => {
    const policy = new ReconnectPolicy({ reconnectionTimeMs: 3000 });
    policy.setServerRetry(0);
    for (let connection = 0; connection < 50; connection++) {
      policy.eventReceived();
      const decision = policy.next();
      expect(decision.reconnect && decision.delayMs).toBe(100);
    }
  });

  it("takes its cap and floors from the options; --max-retries 0 never reconnects", () => {
    const policy = new ReconnectPolicy({
      reconnectionTimeMs: 10,
      maxDelayMs: 5000,
      minBackoffMs: 300,
      minReconnectDelayMs: 0,
    });
    const delays = Array.from({ length: 7 }, () => {
      const decision = policy.next();
      return decision.reconnect ? decision.delayMs : -1;
    });
    // The first wait is the reconnection time (no floor); the backoff doubles from 300.
    expect(delays).toEqual([10, 600, 1200, 2400, 4800, 5000, 5000]);
    expect(policy.maxDelayMs).toBe(5000);
    expect(policy.setServerRetry(7000)).toBe(5000);
    const never = new ReconnectPolicy({ reconnectionTimeMs: 10, maxRetries: 0 });
    expect(never.next()).toEqual({ reconnect: false, attemptsWithoutEvent: 0 });
  });

  it("a --retry above the cap raises the cap; --max-retries gives up", () => {
    expect(new ReconnectPolicy({ reconnectionTimeMs: 120_000 }).maxDelayMs).toBe(120_000);
    const policy = new ReconnectPolicy({ reconnectionTimeMs: 10, maxRetries: 2 });
    expect(policy.next().reconnect).toBe(true);
    expect(policy.next().reconnect).toBe(true);
    expect(policy.next()).toEqual({ reconnect: false, attemptsWithoutEvent: 2 });
  });
});

describe("judgeResponse", () => {
  it.each([
    [200, "text/event-stream", false, "stream"],
    [200, "Text/Event-Stream; charset=utf-8", false, "stream"],
    [201, "text/event-stream", false, "stream"],
    [204, undefined, false, "stop"],
    [200, "text/plain", false, "fail"],
    [200, undefined, false, "fail"],
    [200, "text/event-streams", false, "fail"],
    [404, "text/event-stream", false, "fail"],
    [500, "text/plain", false, "fail"],
    [500, "text/plain", true, "retry-later"],
    [503, undefined, true, "retry-later"],
    [429, undefined, true, "retry-later"],
    [401, undefined, true, "fail"],
  ])("%i %j reconnect=%s -> %s", (status, contentType, isReconnect, kind) => {
    expect(judgeResponse(status, contentType, isReconnect).kind).toBe(kind);
  });
  it.each([
    [199, "text/event-stream", true, { kind: "fail", reason: "http-status" }],
    [200, "text/event-stream", false, { kind: "stream" }],
    [299, "text/event-stream", false, { kind: "stream" }],
    [300, "text/event-stream", true, { kind: "fail", reason: "http-status" }],
    [200, "text/html", true, { kind: "fail", reason: "content-type" }],
    [408, undefined, true, { kind: "retry-later" }],
    [408, undefined, false, { kind: "fail", reason: "http-status" }],
    [429, undefined, false, { kind: "fail", reason: "http-status" }],
    [499, undefined, true, { kind: "fail", reason: "http-status" }],
    [500, undefined, false, { kind: "fail", reason: "http-status" }],
    [599, undefined, true, { kind: "retry-later" }],
  ])("the edges: %i %j reconnect=%s -> %j", (status, contentType, isReconnect, verdict) => {
    expect(judgeResponse(status, contentType, isReconnect)).toEqual(verdict);
  });
  it("takes the MIME essence", () => {
    expect(mimeEssence(" TEXT/Event-Stream ;x=y")).toBe("text/event-stream");
  });
});

describe("request headers", () => {
  it("parses -H lines; 'Name:' removes a default; Last-Event-ID only when non-empty", () => {
    const userHeaders = parseHeaderOptions(["X-Token: a: b", "Cache-Control:"]);
    expect(userHeaders).toEqual([
      ["x-token", "a: b"],
      ["cache-control", ""],
    ]);
    expect(
      buildRequestHeaders({ userHeaders, lastEventId: "", hasBody: false, bodyIsJson: false }),
    ).toEqual({
      accept: "text/event-stream",
      "x-token": "a: b",
    });
    expect(
      buildRequestHeaders({ userHeaders: [], lastEventId: "7", hasBody: true, bodyIsJson: true }),
    ).toEqual({
      accept: "text/event-stream",
      "cache-control": "no-cache",
      "content-type": "application/json",
      "last-event-id": "7",
    });
  });
  it.each([
    ["42", "42"],
    ["", undefined],
    ["é中", Buffer.from("é中", "utf8").toString("latin1")],
    ["a\tb", "a\tb"],
    ["a\x1bb", undefined],
    ["a\x7f", undefined],
  ])("Last-Event-ID for %j is %j (UTF-8 bytes; none with control characters)", (id, header) => {
    expect(lastEventIdHeaderValue(id)).toBe(header);
  });

  it.each([["nocolon"], [": value"], ["bad name: v"]])("rejects %j", (line) => {
    expect(() => parseHeaderOptions([line])).toThrow(/invalid header .*: expected "Name: value"/);
  });

  it.each([["X-A: a\rb"], ["X-A: a\nb"], ["X-A: a\0b"]])("rejects the line break in %j", (line) => {
    expect(() => parseHeaderOptions([line])).toThrow(/value holds a line break/);
  });

  it("a user header replaces a default; the body's JSON type only with a body that is JSON", () => {
    expect(
      buildRequestHeaders({
        userHeaders: [["accept", "*/*"]],
        lastEventId: "",
        hasBody: true,
        bodyIsJson: false,
      }),
    ).toEqual({ accept: "*/*", "cache-control": "no-cache" });
    expect(
      buildRequestHeaders({ userHeaders: [], lastEventId: "", hasBody: false, bodyIsJson: true }),
    ).toEqual({ accept: "text/event-stream", "cache-control": "no-cache" });
  });
});

describe("describeNetworkError", () => {
  it.each([
    [Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "connection refused"],
    [
      new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]),
      "connection refused",
    ],
    [
      Object.assign(new Error("x"), { code: "UND_ERR_SOCKET", cause: { code: "ECONNRESET" } }),
      "connection reset by the server",
    ],
    [
      Object.assign(new Error("x"), { code: "UND_ERR_HEADERS_TIMEOUT" }),
      "no response headers within 2 s (a buffering proxy, such as nginx by default, holds a " +
        "slow stream's headers until its buffer fills)",
    ],
    [
      Object.assign(new Error("bad response"), { code: "UND_ERR_SOCKET" }),
      "the server sent a response that is not HTTP/1.1 as expected (an unasked-for 100 Continue?)",
    ],
    [
      new Error("Proxy response (403) !== 200 when HTTP Tunneling"),
      "the proxy refused the tunnel (HTTP 403)",
    ],
    [
      Object.assign(new Error("Proxy Connection failed"), {
        code: "UND_ERR_PRX_CONN",
        cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
      }),
      "the proxy closed the connection while opening the tunnel",
    ],
    [
      Object.assign(new Error("x"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
      "TLS certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); --insecure accepts it",
    ],
  ])("%s", (error, expected) => {
    expect(describeNetworkError(error, 2000)).toBe(expected);
  });
});

describe("diagnostic text", () => {
  it.each([
    ["authorization", "Bearer sk-123", "Bearer [redacted, 6 characters]"],
    ["Cookie", "session=abc", "[redacted, 11 characters]"],
    ["x-api-key", "k", "[redacted, 1 characters]"],
    ["accept", "text/event-stream", "text/event-stream"],
    ["x-evil", "a\x1b[2Jb", "a\\x1b[2Jb"],
  ])("redactHeader(%j, %j) -> %j", (name, value, expected) => {
    expect(redactHeader(name, value)).toBe(expected);
  });

  it("quotes the start of an error body on one line", () => {
    expect(describeBodyStart('{\n  "error": {\n    "message": "bad\x1b"\n  }\n}\n')).toBe(
      '{ "error": { "message": "bad\\x1b" } }',
    );
    expect(describeBodyStart("x".repeat(600))).toBe(`${"x".repeat(500)}…`);
  });

  it("formats waits", () => {
    expect([formatDelay(0), formatDelay(999), formatDelay(60_000)]).toEqual([
      "0 ms",
      "999 ms",
      "60.0 s",
    ]);
  });
});
