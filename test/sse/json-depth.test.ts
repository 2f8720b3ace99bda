import { describe, expect, it } from "vitest";
import { jsonNestsDeeperThan, parseBoundedJson } from "../../src/sse/json-depth.js";

describe("jsonNestsDeeperThan", () => {
  it.each([
    ["[[[]]]", 3, false],
    ["[[[[]]]]", 3, true],
    ['{"a":{"b":{"c":1}}}', 3, false],
    ['{"a":{"b":{"c":{}}}}', 3, true],
    // Brackets inside strings, escaped quotes included, are not nesting.
    ['["[[[[[[", "\\"[[[[[["]', 2, false],
    ['["\\\\", [[[]]]]', 3, true],
    // Siblings do not add up.
    ["[[],[],[],[],[],[],[]]", 2, false],
    ["", 0, false],
  ])("%s deeper than %i: %s", (text, limit, deeper) => {
    expect(jsonNestsDeeperThan(text, limit)).toBe(deeper);
  });

  it("is linear and recursion-free on a million levels", () => {
    const deep = `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`;
    expect(jsonNestsDeeperThan(deep)).toBe(true);
    expect(jsonNestsDeeperThan(`"${deep}"`)).toBe(false);
  });
});

describe("parseBoundedJson", () => {
  it("parses JSON within the bound, and says what is wrong otherwise", () => {
    expect(parseBoundedJson('{"a":[1,2]}')).toEqual({ value: { a: [1, 2] } });
    expect(parseBoundedJson(`${"[".repeat(257)}${"]".repeat(257)}`)).toEqual({
      problem: "nested deeper than 256 levels",
    });
    expect(parseBoundedJson(`${"[".repeat(256)}${"]".repeat(256)}`)).toHaveProperty("value");
    const broken = parseBoundedJson("{oops");
    expect("problem" in broken && broken.problem.startsWith("not JSON: ")).toBe(true);
  });
});
