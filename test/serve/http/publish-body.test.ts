import { describe, expect, it } from "vitest";
import {
  type PublishBodyKind,
  parsePublishBody,
  publishBodyKind,
} from "../../../src/serve/http/publish-body.js";

/** The kind a Content-Type gets; these tests use accepted types only. */
const kindOf = (type: string): PublishBodyKind => {
  const kind = publishBodyKind(type);
  if (kind === undefined) throw new Error(`${type} is not accepted`);
  return kind;
};

describe("publishBodyKind", () => {
  it.each([
    ["application/json", "json"],
    ["Application/JSON; charset=utf-8", "json"],
    ["application/x-ndjson", "json"],
    ["application/ndjson", "json"],
    ["text/plain", "text"],
    ["text/plain;charset=UTF-8", "text"],
    // What an HTML form or a no-cors fetch can send anywhere: never an event.
    ["application/x-www-form-urlencoded", undefined],
    ["multipart/form-data; boundary=x", undefined],
    ["text/html", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%s is %s", (type, kind) => {
    expect(publishBodyKind(type)).toBe(kind);
  });
});

describe("parsePublishBody", () => {
  it.each([
    {
      name: "one JSON object with every field",
      type: "application/json",
      body: '{"event":"x","data":"y","id":"7","retry":500,"comment":"c"}',
      events: [{ event: "x", data: "y", id: "7", retry: 500, comment: "c" }],
    },
    {
      name: "application/ndjson",
      type: "application/ndjson",
      body: '{"data":"y"}',
      events: [{ data: "y" }],
    },
    {
      name: "a pretty-printed object is one event",
      type: "application/json",
      body: '{\n  "event": "x",\n  "data": {"a": [1, 2]}\n}\n',
      events: [{ event: "x", data: '{"a":[1,2]}' }],
    },
    {
      name: "NDJSON, blank lines and CRLF allowed",
      type: "application/x-ndjson",
      body: '{"data":"a"}\r\n\r\n{"event":"b","data":"2"}\n"plain"\n42\n',
      events: [{ data: "a" }, { event: "b", data: "2" }, { data: "plain" }, { data: "42" }],
    },
    {
      name: "listen --json output (time ignored)",
      type: "application/x-ndjson",
      body: '{"time":"2026-01-01T00:00:00.000Z","event":"message","id":"","data":"hi"}',
      // "message" is the default type and "" the initial id: neither needs sending.
      events: [{ data: "hi" }],
    },
    {
      name: "a numeric id becomes its text",
      type: "application/json",
      body: '{"id":3,"data":"x"}',
      events: [{ id: "3", data: "x" }],
    },
    {
      name: "text/plain is one data event, one trailing newline dropped",
      type: "text/plain; charset=utf-8",
      body: "line one\nline two\n",
      events: [{ data: "line one\nline two" }],
    },
    {
      name: "text/plain that looks like JSON stays text",
      type: "text/plain",
      body: '{"event":"x"}',
      events: [{ data: '{"event":"x"}' }],
    },
  ])("$name", ({ type, body, events }) => {
    expect(parsePublishBody(kindOf(type), body)).toEqual({ ok: true, events });
  });

  it("applies --event to published events that carry no type", () => {
    const options = { defaultEventType: "note" };
    expect(parsePublishBody("text", "hi", options)).toEqual({
      ok: true,
      events: [{ event: "note", data: "hi" }],
    });
    expect(parsePublishBody("json", '{"data":"a"}\n{"event":"x","data":"b"}', options)).toEqual({
      ok: true,
      events: [
        { event: "note", data: "a" },
        { event: "x", data: "b" },
      ],
    });
  });

  it.each([
    { name: "empty JSON body", type: "application/json", body: " \n", kind: "empty-body" },
    { name: "empty text body", type: "text/plain", body: "\n", kind: "empty-body" },
    { name: "not JSON", type: "application/json", body: "hello", kind: "invalid-event", line: 1 },
    {
      name: "bad NDJSON line",
      type: "application/x-ndjson",
      body: '{"data":"a"}\n{oops\n',
      kind: "invalid-event",
      line: 2,
    },
    {
      name: "event not a string",
      type: "application/json",
      body: '{"event":1,"data":"x"}',
      kind: "invalid-event",
      line: 1,
    },
    {
      name: "id with a newline",
      type: "application/json",
      body: '{"id":"a\\nb"}',
      kind: "invalid-event",
      line: 1,
    },
    {
      name: "negative retry",
      type: "application/json",
      body: '{"retry":-1}',
      kind: "invalid-event",
      line: 1,
    },
    {
      name: "no known field",
      type: "application/json",
      body: '{"foo":1}',
      kind: "invalid-event",
      line: 1,
    },
    {
      name: "only a name",
      type: "application/json",
      body: '{"event":"x"}',
      kind: "invalid-event",
      line: 1,
    },
    {
      name: "JSON nested thousands deep (JSON.stringify would overflow the stack)",
      type: "application/json",
      body: `{"data":${"[".repeat(6000)}${"]".repeat(6000)}}`,
      kind: "invalid-event",
      line: 1,
    },
    {
      name: "deep NDJSON line",
      type: "application/x-ndjson",
      body: `{"data":"ok"}\n${"[".repeat(6000)}${"]".repeat(6000)}`,
      kind: "invalid-event",
      line: 2,
    },
  ])("rejects $name", ({ type, body, kind, line }) => {
    const result = parsePublishBody(kindOf(type), body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe(kind);
    expect(result.error.line).toBe(line);
    expect(result.error.message).not.toBe("");
  });
});
