/**
 * The recording format (src/recording/format.ts): what `listen --record` writes reads back
 * exactly, secrets stay out, and a hostile or broken line is a problem, never a crash.
 */
import { describe, expect, it } from "vitest";
import {
  chunkLine,
  disconnectLine,
  parseRecordingLine,
  type RecordingEntry,
  recordingHeaderLine,
  requestLine,
  responseLine,
} from "../../src/recording/format.js";

function parse(line: string, isFirst = false): RecordingEntry {
  const parsed = parseRecordingLine(line.trimEnd(), isFirst);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed;
}

describe("recording lines", () => {
  it("starts with a header naming the format and its version", () => {
    const line = recordingHeaderLine(new Date("2026-12-01T10:00:00.000Z"));
    expect(JSON.parse(line)).toEqual({
      type: "recording",
      version: 1,
      started: "2026-12-01T10:00:00.000Z",
      tool: "sse-tool",
    });
    expect(parse(line, true)).toEqual({
      type: "recording",
      version: 1,
      started: "2026-12-01T10:00:00.000Z",
    });
  });

  it("keeps each chunk's bytes exactly: text when it is UTF-8 on its own, else base64", () => {
    const stream = Buffer.from("\uFEFFid: 1\r\ndata: Grüße 👋\n\n\x00\x1b[2J", "utf8");
    for (let cut = 0; cut <= stream.length; cut++) {
      for (const piece of [stream.subarray(0, cut), stream.subarray(cut)]) {
        const line = chunkLine(12, piece);
        const entry = parse(line);
        expect(entry.type).toBe("chunk");
        if (entry.type === "chunk") expect(Buffer.from(entry.bytes).equals(piece)).toBe(true);
      }
    }
    expect(JSON.parse(chunkLine(5, Buffer.from("data: hé\n\n")))).toEqual({
      type: "chunk",
      t: 5,
      text: "data: hé\n\n",
    });
    // Cut inside the é: not UTF-8 on its own.
    expect(JSON.parse(chunkLine(5, Buffer.from("data: hé").subarray(0, 8)))).toEqual({
      type: "chunk",
      t: 5,
      base64: Buffer.from("data: h\xc3", "latin1").toString("base64"),
    });
  });

  it("writes requests without credentials or secret headers", () => {
    const line = requestLine(0, {
      method: "GET",
      url: "http://ann:pw@127.0.0.1:8080/events?token=s3cret&room=1",
      headers: {
        accept: "text/event-stream",
        authorization: "Bearer sk-live-123",
        "x-goog-api-key": "AIza",
        cookie: "session=abc",
      },
    });
    expect(line).not.toMatch(/pw@|s3cret|sk-live|AIza|session=abc/);
    expect(parse(line)).toEqual({
      type: "request",
      t: 0,
      method: "GET",
      url: "http://127.0.0.1:8080/events?token=[redacted]&room=1",
      headers: {
        accept: "text/event-stream",
        authorization: "[redacted]",
        "x-goog-api-key": "[redacted]",
        cookie: "[redacted]",
      },
    });
  });

  it("writes responses with repeated headers kept and Set-Cookie redacted", () => {
    const line = responseLine(40, {
      status: 200,
      statusText: "OK",
      url: "http://127.0.0.1:8080/events",
      headers: {
        "content-type": "text/event-stream",
        "set-cookie": ["a=1", "b=2"],
        "x-trace": ["one", "two"],
        "x-missing": undefined,
      },
    });
    expect(parse(line)).toEqual({
      type: "response",
      t: 40,
      status: 200,
      statusText: "OK",
      url: "http://127.0.0.1:8080/events",
      headers: {
        "content-type": "text/event-stream",
        "set-cookie": ["[redacted]", "[redacted]"],
        "x-trace": ["one", "two"],
      },
    });
  });

  it("writes disconnects with their reason", () => {
    expect(parse(disconnectLine(900, "dropped", "other side closed"))).toEqual({
      type: "disconnect",
      t: 900,
      reason: "dropped",
      detail: "other side closed",
    });
    expect(parse(disconnectLine(901, "ended"))).toEqual({
      type: "disconnect",
      t: 901,
      reason: "ended",
    });
  });
});

describe("reading a recording someone else wrote", () => {
  it.each([
    ["{", true, "not a JSON line"],
    ["[1]", true, "not a JSON object"],
    ['{"type":"chunk","t":1,"text":"x"}', true, "not an sse-tool recording"],
    [
      '{"type":"recording","version":2}',
      true,
      "recording format version 2; this sse-tool reads version 1",
    ],
    ['{"type":"chunk","t":-1,"text":"x"}', false, '"t" must be a number'],
    ['{"type":"chunk","t":"1","text":"x"}', false, '"t" must be a number'],
    ['{"type":"chunk","t":1}', false, 'a chunk needs "text" or "base64"'],
    ['{"type":"chunk","t":1,"base64":"!!"}', false, 'a chunk needs "text" or "base64"'],
    ['{"type":"response","t":1,"status":99,"headers":{}}', false, '"status" from 100 to 999'],
    ['{"type":"response","t":1,"status":200,"headers":{"a":1}}', false, '"headers" must map'],
    ['{"type":"response","t":1,"status":200,"headers":[]}', false, '"headers" must map'],
    [
      '{"type":"request","t":1,"method":"GET","url":"u","headers":{"a":["x"]}}',
      false,
      '"headers" must map',
    ],
    ['{"type":"disconnect","t":1,"reason":"gone"}', false, '"reason" is "ended"'],
    ['{"type":"party","t":1}', false, "unknown line type"],
  ])("%s is refused: %s", (line, isFirst, problem) => {
    const parsed = parseRecordingLine(line, isFirst);
    expect("problem" in parsed && parsed.problem).toContain(problem);
  });

  it("reads a line nested 100,000 levels deep without overflowing the stack", () => {
    const deep = `{"type":"chunk","t":1,"text":"x","extra":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(parseRecordingLine(deep, false)).toMatchObject({ type: "chunk" });
    const deepHeaders = `{"type":"request","t":1,"method":"GET","url":"u","headers":{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    expect(parseRecordingLine(deepHeaders, false)).toEqual({
      problem: 'a request\'s "headers" must map names to strings',
    });
  });

  it("keeps a header named __proto__ as a header, not as the object's prototype", () => {
    const entry = parse(
      '{"type":"response","t":1,"status":200,"headers":{"__proto__":["x"],"content-type":"text/event-stream"}}',
    );
    expect(entry.type === "response" && Object.keys(entry.headers)).toEqual([
      "__proto__",
      "content-type",
    ]);
    expect(entry.type === "response" && Array.isArray(Object.getPrototypeOf(entry.headers))).toBe(
      false,
    );
  });
});
