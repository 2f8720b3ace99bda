/** The option parsers the LLM flags added: durations with units, rates, token stalls. */
import { describe, expect, it } from "vitest";
import {
  checkTimerRange,
  duration,
  durationOption,
  maxTimerMs,
  milliseconds,
  OptionValueError,
  portNumber,
  positiveNumber,
  secondsToMs,
  tokenStall,
} from "../../src/cli/option-values.js";

describe("duration", () => {
  it.each([
    ["250ms", 250],
    ["1.5s", 1500],
    ["2m", 120_000],
    [" 0 ", 0],
    ["0.25s", 250],
    ["1h", 3_600_000],
  ])("%j is %d ms", (raw, ms) => {
    expect(duration(raw)).toBe(ms);
  });
  it.each(["5", "fast", "1.5", "-1s", "1d", "s", "1e3ms", ""])("%j is refused", (raw) => {
    expect(() => duration(raw)).toThrow(OptionValueError);
  });
});

describe("durationOption: units everywhere, a bare number in the flag's own unit", () => {
  it.each([
    ["s", "30", 30_000],
    ["s", "2.5", 2500],
    ["s", "500ms", 500],
    ["s", "1m", 60_000],
    ["ms", "500", 500],
    ["ms", "2s", 2000],
    ["ms", "0", 0],
  ] as const)("bare number %s: %j is %d ms", (unit, raw, ms) => {
    expect(durationOption(unit)(raw)).toBe(ms);
  });
  it("says the flag's bare unit when refusing", () => {
    expect(() => durationOption("s")("soon")).toThrow(/a bare number is seconds/);
    expect(() => durationOption("ms")("-1")).toThrow(/a bare number is milliseconds/);
  });
});

describe("portNumber", () => {
  it.each([
    ["0", 0],
    ["8080", 8080],
    ["65535", 65_535],
  ])("%j is %d", (raw, port) => {
    expect(portNumber(raw)).toBe(port);
  });
  it.each(["65536", "99999", "-1", "http", "80.5", ""])("%j is refused", (raw) => {
    expect(() => portNumber(raw)).toThrow(/port number from 0 to 65535/);
  });
});

describe("positiveNumber", () => {
  it.each([
    ["50", 50],
    ["12.5", 12.5],
  ])("%j is %d", (raw, value) => {
    expect(positiveNumber(raw)).toBe(value);
  });
  it.each(["0", "0.0", "-3", "abc", "1e3", "Infinity", ""])("%j is refused", (raw) => {
    expect(() => positiveNumber(raw)).toThrow(OptionValueError);
  });
});

describe("tokenStall", () => {
  it("collects <tokens>:<duration> pairs", () => {
    const first = tokenStall("20:2s", undefined);
    expect(tokenStall("0:300ms", first)).toEqual([
      { afterTokens: 20, ms: 2000 },
      { afterTokens: 0, ms: 300 },
    ]);
  });
  it.each(["20", ":2s", "x:2s", "20:", "20:2", "-1:2s", "99999999999999999999:1s"])(
    "%j is refused",
    (raw) => {
      expect(() => tokenStall(raw, undefined)).toThrow(OptionValueError);
    },
  );
});

describe("every duration option is within what a timer can wait (2^31-1 ms)", () => {
  it.each([
    ["secondsToMs", () => secondsToMs("2200000")],
    ["secondsToMs, just over", () => secondsToMs("2147483.648")],
    ["milliseconds", () => milliseconds("2147483648")],
    ["duration", () => duration("35792m")],
    ["tokenStall", () => tokenStall("3:2147484s", undefined)],
  ])("%s refuses a longer one", (_name, parse) => {
    expect(parse).toThrow(/at most 2147483647 ms/);
  });

  it("accepts the longest", () => {
    expect(secondsToMs("2147483.647")).toBe(maxTimerMs);
    expect(milliseconds("2147483647")).toBe(maxTimerMs);
    expect(duration("35791m")).toBe(2_147_460_000);
    expect(checkTimerRange(0)).toBe(0);
  });
});
