/**
 * The encoder's exact text, field by field (the round-trip property in
 * encoder-decoder.property.test.ts proves the meaning; these pin the bytes serve sends), and the
 * events it refuses with the reason a user is shown.
 */
import { describe, expect, it } from "vitest";
import { encodeComment, encodeEvent, outgoingEventProblem } from "../../src/sse/encoder.js";

describe("encodeEvent", () => {
  it.each([
    [{}, ""],
    [{ data: "x" }, "data: x\n\n"],
    [{ data: "" }, "data: \n\n"],
    [{ data: "a\nb" }, "data: a\ndata: b\n\n"],
    [{ data: "a\rb" }, "data: a\ndata: b\n\n"],
    [{ data: "a\r\nb" }, "data: a\ndata: b\n\n"],
    [{ data: "a\n" }, "data: a\ndata: \n\n"],
    [{ id: "7", data: "x" }, "id: 7\ndata: x\n\n"],
    [{ id: "" }, "id\n\n"],
    [{ event: "update", data: "x" }, "event: update\ndata: x\n\n"],
    [{ event: "", data: "x" }, "data: x\n\n"],
    [{ retry: 0 }, "retry: 0\n\n"],
    [{ retry: 2500, data: "x" }, "retry: 2500\ndata: x\n\n"],
    [{ comment: "hi" }, ": hi\n\n"],
    [
      { comment: "note", retry: 10, id: "1", event: "e", data: "d" },
      ": note\nretry: 10\nid: 1\nevent: e\ndata: d\n\n",
    ],
  ])("%j -> %j", (event, text) => {
    expect(encodeEvent(event)).toBe(text);
  });
});

describe("encodeComment", () => {
  it.each([
    ["", ":\n"],
    ["heartbeat", ": heartbeat\n"],
    ["a\nb", ": a\n: b\n"],
    ["a\r\n\r\nb", ": a\n:\n: b\n"],
    ["a\rb\n", ": a\n: b\n:\n"],
  ])("%j -> %j", (comment, text) => {
    expect(encodeComment(comment)).toBe(text);
  });
});

describe("outgoingEventProblem", () => {
  it.each([
    [{ id: "a\nb" }, "id must not contain CR, LF or NUL"],
    [{ id: "a\rb" }, "id must not contain CR, LF or NUL"],
    [{ id: "a\0b" }, "id must not contain CR, LF or NUL"],
    [{ event: "a\nb" }, "event name must not contain CR or LF"],
    [{ event: "a\rb" }, "event name must not contain CR or LF"],
    [{ retry: -1 }, "retry must be a whole number of milliseconds"],
    [{ retry: 1.5 }, "retry must be a whole number of milliseconds"],
    [{ retry: Number.NaN }, "retry must be a whole number of milliseconds"],
    [{ retry: 2 ** 53 }, "retry must be a whole number of milliseconds"],
  ])("%j: %s", (event, problem) => {
    expect(outgoingEventProblem(event)).toBe(problem);
  });

  it.each([
    [{}],
    [{ id: "", event: "", data: "a\nb\0", retry: 0 }],
    [{ id: "x y", event: "update\0", retry: Number.MAX_SAFE_INTEGER }],
  ])("%j can be encoded", (event) => {
    expect(outgoingEventProblem(event)).toBeUndefined();
  });
});
