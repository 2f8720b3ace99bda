import { describe, expect, it } from "vitest";
import { LineEndingScan } from "../../src/doctor/line-ending-scan.js";

const cases: Array<[string, { lf: number; crlf: number; cr: number; longestLineBytes: number }]> = [
  ["data: a\n\n", { lf: 2, crlf: 0, cr: 0, longestLineBytes: 7 }],
  ["data: a\r\n\r\n", { lf: 0, crlf: 2, cr: 0, longestLineBytes: 7 }],
  ["data: a\r\r", { lf: 0, crlf: 0, cr: 2, longestLineBytes: 7 }],
  ["data: a\r\ndata: bb\rdata: c\n\n", { lf: 2, crlf: 1, cr: 1, longestLineBytes: 8 }],
  ["data: unterminated", { lf: 0, crlf: 0, cr: 0, longestLineBytes: 18 }],
];

describe("LineEndingScan", () => {
  it.each(cases)("%j, whole and split at every byte", (text, expected) => {
    const bytes = new TextEncoder().encode(text);
    for (let split = 0; split <= bytes.length; split++) {
      const scan = new LineEndingScan();
      scan.feed(bytes.subarray(0, split));
      scan.feed(bytes.subarray(split));
      scan.end();
      expect(scan.counts).toEqual(expected);
    }
  });
});
