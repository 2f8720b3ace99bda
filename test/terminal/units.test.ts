import { describe, expect, it } from "vitest";
import { formatBytes, formatMs } from "../../src/terminal/units.js";

describe("formatBytes", () => {
  const cases: Array<[number, string]> = [
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [1024 ** 2 - 1, "1024.0 KiB"],
    [1024 ** 2, "1.0 MiB"],
    [16 * 1024 ** 2, "16.0 MiB"],
    [1024 ** 3, "1.00 GiB"],
    [5.5 * 1024 ** 3, "5.50 GiB"],
  ];
  it.each(cases)("%d bytes is %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("formatMs", () => {
  const cases: Array<[number, string]> = [
    [0, "0 ms"],
    [12.4, "12 ms"],
    [999, "999 ms"],
    [1000, "1.00 s"],
    [1234, "1.23 s"],
    [61_000, "61.00 s"],
  ];
  it.each(cases)("%d ms is %s", (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
