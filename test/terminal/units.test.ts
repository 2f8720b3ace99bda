import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatDelay,
  formatElapsed,
  formatMs,
  formatPreciseMs,
} from "../../src/terminal/units.js";

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

describe("formatDelay", () => {
  it.each([
    [0, "0 ms"],
    [999, "999 ms"],
    [1000, "1.0 s"],
    [60_000, "60.0 s"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDelay(ms)).toBe(text);
  });
});

describe("formatElapsed", () => {
  it.each([
    [0, "0.0 s"],
    [1234, "1.2 s"],
    [59_949, "59.9 s"],
    [60_000, "1 min 0 s"],
    [125_900, "2 min 5 s"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

describe("formatPreciseMs", () => {
  it.each([
    [0.4236, "0.42 ms"],
    [4.236, "4.2 ms"],
    [123.4, "123 ms"],
    [1234, "1.23 s"],
    [65_200, "65.2 s"],
    [Number.NaN, "n/a"],
    [Number.POSITIVE_INFINITY, "n/a"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatPreciseMs(ms)).toBe(text);
  });
});
