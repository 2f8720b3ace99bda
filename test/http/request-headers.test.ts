import { describe, expect, it } from "vitest";
import { isJsonBody } from "../../src/http/request-headers.js";

describe("isJsonBody: which -d bodies are sent as application/json", () => {
  const cases: Array<[string, boolean]> = [
    ['{"model":"m","stream":true}', true],
    ['  \n\t{"a": [1, 2]}\r\n', true],
    ["[1, 2, 3]", true],
    ["{}", true],
    // Valid JSON, but a scalar: far more often a form value or plain text.
    ["42", false],
    ["true", false],
    ['"text"', false],
    ["null", false],
    // Not JSON.
    ["a=1&b=2", false],
    ["{not json}", false],
    ['{"a":1', false],
    ["", false],
  ];
  it.each(cases)("%j -> %s", (body, expected) => {
    expect(isJsonBody(new TextEncoder().encode(body))).toBe(expected);
  });
});
