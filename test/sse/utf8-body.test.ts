/**
 * Utf8Body: a body's bytes as text (HTML §9.2.5), cut into chunks at every byte: one leading
 * BOM stripped, invalid sequences counted, a U+FFFD sent as EF BF BD not counted.
 */
import { describe, expect, it } from "vitest";
import { Utf8Body } from "../../src/sse/utf8-body.js";

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
});
