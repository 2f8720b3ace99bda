import { describe, expect, it } from "vitest";
import { jsonNestsDeeperThan } from "../../src/sse/json-depth.js";

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
