/**
 * The UTF-8 body step (HTML §9.2.5). Utf8Body, cut into chunks at every byte: one leading BOM
 * stripped, invalid sequences counted, a U+FFFD sent as EF BF BD not counted. SharedUtf8Decoder:
 * exactly the text a streaming TextDecoder gives, at every split into two reads and for random
 * splits, including invalid bytes and the BOM.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SharedUtf8Decoder, Utf8Body, utf8BodyStart } from "../../src/sse/utf8-body.js";

/** Text and invalid-sequence count, the bytes cut at `cuts`. */
function decode(bytes: Uint8Array, cuts: number[]): { text: string; invalid: number } {
  const body = new Utf8Body();
  let text = "";
  let invalid = 0;
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    text += body.decode(bytes.subarray(start, end));
    invalid += body.invalidSequences;
    start = end;
  }
  return { text, invalid };
}

/** Runs `check` on random bytes with sorted cut points inside them. */
function forRandomCuts(check: (bytes: Uint8Array, points: number[]) => void): void {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 40 }),
      fc.array(fc.nat({ max: 40 }), { maxLength: 6 }),
      (bytes, cuts) => {
        const points = [...new Set(cuts.map((cut) => Math.min(cut, bytes.length)))].sort(
          (a, b) => a - b,
        );
        check(bytes, points);
      },
    ),
    { numRuns: 2000 },
  );
}

const cases: Array<[name: string, bytes: number[], text: string, invalid: number]> = [
  ["one BOM stripped, a second kept", [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61], "\uFEFFa", 0],
  ["a U+FFFD sent as such", [0x61, 0xef, 0xbf, 0xbd, 0x62], "a\uFFFDb", 0],
  ["a stray byte, a cut sequence", [0x61, 0xff, 0x62, 0xc3, 0x0a], "a\uFFFDb\uFFFD\n", 2],
  ["both, side by side", [0xef, 0xbf, 0xbd, 0xef, 0xbf, 0x0a], "\uFFFD\uFFFD\n", 1],
  // Only EF BF BD is a U+FFFD sent: its last bytes alone, or EF ? BD, are invalid.
  ["a stray BD", [0x61, 0xbd, 0x62], "a\uFFFDb", 1],
  ["a stray BF BD", [0x61, 0xbf, 0xbd, 0x62], "a\uFFFD\uFFFDb", 2],
  ["EF, a letter, BD", [0xef, 0x41, 0xbd], "\uFFFDA\uFFFD", 2],
];

describe("Utf8Body", () => {
  for (const [name, bytes, text, invalid] of cases) {
    it(`${name}: whole, and cut at every byte`, () => {
      const data = Uint8Array.from(bytes);
      expect(decode(data, [])).toEqual({ text, invalid });
      for (let cut = 0; cut <= data.length; cut++) {
        expect(decode(data, [cut]), `cut at ${cut}`).toEqual({ text, invalid });
      }
      const everyByte = Array.from(data, (_byte, index) => index + 1).slice(0, -1);
      expect(decode(data, everyByte)).toEqual({ text, invalid });
      // An empty chunk (a read that brought no bytes) between every two bytes changes nothing.
      const withEmpty = everyByte.flatMap((cut) => [cut, cut]);
      expect(decode(data, withEmpty)).toEqual({ text, invalid });
    });
  }

  it("gives the same text and count however random bytes are cut", () => {
    forRandomCuts((bytes, points) => {
      expect(decode(bytes, points)).toEqual(decode(bytes, []));
    });
  });
});

/** What decoder.feed() does: a streaming decoder, one leading BOM stripped. */
function reference(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let text = chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join("");
  text += decoder.decode();
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function shared(chunks: Uint8Array[]): string {
  const decoder = new SharedUtf8Decoder();
  let state = utf8BodyStart;
  let text = "";
  for (const chunk of chunks) {
    text += decoder.decode(state, chunk, 0, chunk.length);
    state = decoder.state;
  }
  // What is left pending at the end is an incomplete character: a streaming decoder ends it as
  // U+FFFD (and the event decoder discards an unfinished line anyway).
  return state >>> 25 === 0 ? text : `${text}\ufffd`;
}

const samples = [
  "plain ascii",
  "é è ü",
  "€ 10",
  "😀 emoji 𝄞",
  "\ufeffBOM first",
  "\ufeff\ufeffBOM twice",
];

describe("SharedUtf8Decoder", () => {
  for (const sample of samples) {
    it(`matches a streaming decoder at every split point: ${JSON.stringify(sample)}`, () => {
      const bytes = new TextEncoder().encode(sample);
      for (let split = 0; split <= bytes.length; split++) {
        const chunks = [bytes.subarray(0, split), bytes.subarray(split)];
        expect(shared(chunks)).toBe(reference(chunks));
      }
    });
  }

  it("matches a streaming decoder for random bytes cut anywhere", () => {
    forRandomCuts((bytes, points) => {
      const chunks: Uint8Array[] = [];
      let start = 0;
      for (const point of [...points, bytes.length]) {
        chunks.push(bytes.subarray(start, point));
        start = point;
      }
      expect(shared(chunks)).toBe(reference(chunks));
    });
  });

  it("decodes only the given range of a larger buffer", () => {
    const buffer = new TextEncoder().encode("xxhello€yy");
    const decoder = new SharedUtf8Decoder();
    expect(decoder.decode(utf8BodyStart, buffer, 2, 10)).toBe("hello€");
  });
});
