/**
 * Principle 1 of issue 13: linear time in the input. Everything that scans server or user text
 * (the pretty view's JSON scan and layout, the escaper, --json lines, the decoder, error-body
 * previews, doctor's header checks, the LLM recogniser) is fed adversarial text at two sizes 256x
 * apart (4 KiB and 1 MiB), and the time per character may grow at most 16x: 2x the input costs
 * at most about 2.8x the time. Linear code stays near 1x (up to ~6x where V8 starts allocating
 * big strings in its large-object space); quadratic code grows 256x, and the nested-quantifier
 * regex this replaced never finished at all.
 *
 * Timing, not counting, but robust on a loaded machine: each measurement repeats the call until
 * about 1 M characters were processed, and the fastest of 5 measurements is compared (another
 * process taking the CPU only ever adds time, so the fastest is the least disturbed). A growth
 * over the bound is measured again, up to 3 times: a busy machine can slow one measurement
 * through all 5 samples, while quadratic code is over the bound every time.
 */
import { Chalk } from "chalk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkContentType } from "../../src/doctor/checks/response.js";
import type { DoctorObservation } from "../../src/doctor/observation.js";
import { classifyLlmEvent } from "../../src/listen/llm/recognise.js";
import { describeBodyStart } from "../../src/listen/output/diagnostic-text.js";
import { jsonContainerTokens } from "../../src/listen/output/json-layout.js";
import { formatJsonLine } from "../../src/listen/output/json-lines.js";
import { PrettyEventFormatter } from "../../src/listen/output/pretty.js";
import { EventStreamDecoder } from "../../src/sse/decoder.js";
import {
  escapeForTerminal,
  escapeForTerminalLine,
  escapeJsonForTerminal,
} from "../../src/terminal/escape.js";

const smallCharacters = 2 ** 12;
const largeCharacters = 2 ** 20;
/** The pretty view lays out JSON up to 256 KiB; beyond, it shows text. */
const largestLaidOut = 2 ** 18 - 64;
const charactersPerMeasurement = 2 ** 20;
const allowedGrowth = 16;

/** The fewest nanoseconds per input character of `scan(text)` over 5 measurements. */
function nsPerCharacter(scan: (text: string) => unknown, text: string): number {
  const repeats = Math.max(1, Math.round(charactersPerMeasurement / text.length));
  scan(text); // warm up: compile before measuring
  let fastest = Number.POSITIVE_INFINITY;
  for (let sample = 0; sample < 5; sample++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) scan(text);
    const ns = Number(process.hrtime.bigint() - started) / (repeats * text.length);
    fastest = Math.min(fastest, ns);
  }
  return fastest;
}

/** An adversarial input: `prefix`, then `unit` repeated, then `suffix`. */
interface Shape {
  prefix: string;
  unit: string;
  suffix: string;
}

/** The shape at about `characters` long. */
function build(shape: Shape, characters: number): string {
  const units = Math.max(1, Math.floor((characters - shape.prefix.length) / shape.unit.length));
  return shape.prefix + shape.unit.repeat(units) + shape.suffix;
}

/**
 * How much slower per character the large input is than the small one: the least of up to 3
 * measurements, stopping at the first within the bound.
 */
function growth(scanner: Scanner, shape: Shape): number {
  const small = scanner.prepare(build(shape, smallCharacters));
  const large = scanner.prepare(build(shape, scanner.largest ?? largeCharacters));
  let least = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && least >= allowedGrowth; attempt++) {
    least = Math.min(
      least,
      nsPerCharacter(scanner.scan, large) / nsPerCharacter(scanner.scan, small),
    );
  }
  return least;
}

const shapes: Array<[name: string, shape: Shape]> = [
  ["an unterminated string (the 55-byte hang)", { prefix: '{"a":"', unit: "x", suffix: "" }],
  ["escaped quotes, unterminated", { prefix: '["', unit: '\\"', suffix: "" }],
  ["many strings, each with a bad escape", { prefix: "[", unit: '"ab\\q', suffix: "" }],
  ["a long run before a quote", { prefix: "[", unit: " ", suffix: '"' }],
  ["whitespace of every kind", { prefix: '{"k":', unit: " \t\r\n", suffix: "1" }],
  [
    "mixed escapes with bidi and zero-width marks in a string",
    { prefix: '{"a":"', unit: '\\u00e9\\n\u202e\u200b\\"x\u{e0041}\x85', suffix: '"}' },
  ],
  ["nesting never closed", { prefix: "", unit: "[", suffix: "" }],
  ["nesting closed at the end", { prefix: "[", unit: '[{"a":', suffix: "1" }],
  ["a long number with a broken exponent", { prefix: "[", unit: "1", suffix: "e" }],
  ["terminal escapes in plain text", { prefix: "", unit: "a\x1b[31m\u202e\u200d\r", suffix: "" }],
  ["a long key, unterminated", { prefix: '{"', unit: "k\\u0041", suffix: "" }],
];

const pretty = new PrettyEventFormatter({ chalk: new Chalk({ level: 1 }), width: 80 });
const observation = (contentType: string) =>
  ({ headers: { "content-type": contentType } }) as unknown as DoctorObservation;

interface Scanner {
  scan: (input: string) => unknown;
  /** Builds the input from the adversarial text once, outside the measurement. */
  prepare: (text: string) => string;
  /** Largest input size measured, when the scanner changes path beyond it. */
  largest?: number;
}

const same = (text: string) => text;
const scanner = (scan: (input: string) => unknown, prepare = same, largest?: number) => ({
  scan,
  prepare,
  largest,
});

/** Each function that scans server or user text. */
const scanners: Array<[name: string, scanner: Scanner]> = [
  ["json-layout scan", scanner((text) => jsonContainerTokens(text))],
  [
    "pretty view (JSON laid out)",
    scanner(
      (text) => pretty.formatEvent({ type: "m", data: text, lastEventId: "" }, "t"),
      same,
      largestLaidOut,
    ),
  ],
  [
    "pretty view (beyond the layout limit)",
    scanner((text) => pretty.formatEvent({ type: "m", data: text, lastEventId: "" }, "t")),
  ],
  ["escapeForTerminal", scanner(escapeForTerminal)],
  ["escapeForTerminalLine", scanner(escapeForTerminalLine)],
  ["--json line on a terminal", scanner(escapeJsonForTerminal, (text) => JSON.stringify(text))],
  [
    "--json line",
    scanner((text) => formatJsonLine({ type: "m", data: text, lastEventId: text }, "t")),
  ],
  ["error body preview", scanner(describeBodyStart)],
  [
    "doctor content-type",
    scanner(
      (input) => checkContentType(observation(input)),
      (text) => `text/event-stream;${text}`,
    ),
  ],
  ["LLM recogniser", scanner((text) => classifyLlmEvent({ type: "m", data: text }))],
  [
    "decoder",
    scanner(
      (input) => new EventStreamDecoder({ onEvent: () => {} }).feedText(input),
      (text) => `data: ${text}\n\n`,
    ),
  ],
];

describe("linear time on adversarial input", () => {
  for (const [scannerName, scanner] of scanners) {
    it.each(shapes)(`${scannerName}: %s`, (_shapeName, shape) => {
      expect(growth(scanner, shape)).toBeLessThan(allowedGrowth);
    });
  }

  it("the pretty view: arbitrary adversarial units, repeated, stay linear", () => {
    const piece = fc.constantFrom(
      '"',
      "\\",
      '\\"',
      "\\u",
      "\\u00",
      "{",
      "[",
      "]",
      "}",
      ":",
      ",",
      " ",
      "x",
      "1",
      "-",
      "e",
      "true",
      "\u202e",
      "\u200b",
      "\x1b",
    );
    fc.assert(
      fc.property(
        fc.constantFrom("{", "[", '{"a":"', '["'),
        fc.array(piece, { minLength: 1, maxLength: 6 }),
        (prefix, pieces) => {
          const shape = { prefix, unit: pieces.join(""), suffix: "" };
          expect(growth(scanners[1]![1], shape)).toBeLessThan(allowedGrowth);
        },
      ),
      { numRuns: 12 },
    );
  });
});
