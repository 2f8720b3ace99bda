/**
 * The shared UTF-8 step gives exactly the text a streaming TextDecoder gives, at every split of
 * the input into two reads and for random splits, including invalid bytes and the BOM.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SharedUtf8Decoder, utf8BodyStart } from "../../src/load/utf8-chunks.js";

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
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 6 }),
        (bytes, cuts) => {
          const points = [...new Set(cuts.map((cut) => Math.min(cut, bytes.length)))].sort(
            (a, b) => a - b,
          );
          const chunks: Uint8Array[] = [];
          let start = 0;
          for (const point of [...points, bytes.length]) {
            chunks.push(bytes.subarray(start, point));
            start = point;
          }
          expect(shared(chunks)).toBe(reference(chunks));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("decodes only the given range of a larger buffer", () => {
    const buffer = new TextEncoder().encode("xxhello€yy");
    const decoder = new SharedUtf8Decoder();
    expect(decoder.decode(utf8BodyStart, buffer, 2, 10)).toBe("hello€");
  });
});
