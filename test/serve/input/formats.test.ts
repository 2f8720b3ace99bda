import { describe, expect, it } from "vitest";
import {
  createInputParser,
  type InputFormat,
  type InputItem,
  type InputParserOptions,
} from "../../../src/serve/input/formats.js";
import { readLineBatches } from "../../../src/serve/input/lines.js";
import type { OutgoingEvent } from "../../../src/sse/encoder.js";

function parse(format: InputFormat, text: string, options: InputParserOptions = {}): InputItem[] {
  const parser = createInputParser(format, options);
  const items: InputItem[] = [];
  text.split("\n").forEach((line, index) => {
    items.push(...parser.pushLine(line, index + 1));
  });
  items.push(...parser.end());
  return items;
}

const events = (items: InputItem[]): OutgoingEvent[] =>
  items.flatMap((item) => (item.kind === "event" ? [item.event] : []));
const warnings = (items: InputItem[]): string[] =>
  items.flatMap((item) => (item.kind === "warning" ? [`${item.line}: ${item.message}`] : []));

describe("input formats", () => {
  const cases: Array<{
    name: string;
    format: InputFormat;
    input: string;
    options?: InputParserOptions;
    events: OutgoingEvent[];
    warnings?: RegExp[];
  }> = [
    {
      name: "lines: each non-empty line is data",
      format: "lines",
      input: 'a\n\n  b  \n{"data":1}',
      events: [{ data: "a" }, { data: "  b  " }, { data: '{"data":1}' }],
    },
    {
      name: "lines: --event sets the type",
      format: "lines",
      input: "a",
      options: { defaultEventType: "tick" },
      events: [{ event: "tick", data: "a" }],
    },
    {
      name: "ndjson: all fields, JSON data sent as JSON text",
      format: "ndjson",
      input:
        '{"event":"e","data":"s","id":"1","retry":50,"comment":"c"}\n{"data":{"k":[1,2]}}\n{"data":null,"id":7}',
      events: [
        { event: "e", data: "s", id: "1", retry: 50, comment: "c" },
        { data: '{"k":[1,2]}' },
        { data: "null", id: "7" },
      ],
    },
    {
      name: "ndjson: non-object values are data (strings as themselves)",
      format: "ndjson",
      input: '"hello"\n42\n[1, 2]\nnull',
      events: [{ data: "hello" }, { data: "42" }, { data: "[1, 2]" }, { data: "null" }],
    },
    {
      name: "ndjson: bad lines warn with their line number and are skipped",
      format: "ndjson",
      input:
        '{"data":"a"}\nnot json\n{"data":"b","retry":"soon"}\n{"data":"c","event":3}\n{"x":1}\n{"data":"d"}',
      events: [{ data: "a" }, { data: "d" }],
      warnings: [
        /^2: invalid JSON/,
        /^3: bad "retry"/,
        /^4: "event" must be a string/,
        /^5: no "data"/,
      ],
    },
    {
      name: "ndjson: listen --json output, message type dropped, repeated ids sent once",
      format: "ndjson",
      input: [
        '{"time":"2024-01-01T00:00:00.000Z","event":"message","id":"","data":"a"}',
        '{"time":"2024-01-01T00:00:00.500Z","event":"tick","id":"5","data":"b"}',
        '{"time":"2024-01-01T00:00:01.000Z","event":"tick","id":"5","data":"c"}',
      ].join("\n"),
      events: [{ data: "a" }, { event: "tick", id: "5", data: "b" }, { event: "tick", data: "c" }],
    },
    {
      name: "sse: raw event stream re-emitted event by event, id only when it changes",
      format: "sse",
      input:
        ": hi\nretry: 100\nevent: e\ndata: one\ndata: two\nid: 1\n\ndata: x\n\nid: 2\n\ndata: unfinished",
      events: [
        { comment: "hi", retry: 100, event: "e", data: "one\ntwo", id: "1" },
        { data: "x" },
        { id: "2" },
      ],
    },
    {
      name: "sse: read as sse even when the first line does not look like a field",
      format: "sse",
      input: "hello\ndata: a\n\n",
      events: [{ data: "a" }],
      warnings: [/^1: unknown field "hello" ignored$/],
    },
    {
      name: "sse: bad retry warns with its line number",
      format: "sse",
      input: "retry: soon\ndata: a\n",
      events: [{ data: "a" }],
      warnings: [/^1: bad retry "soon"/],
    },
    {
      name: "auto: structured JSON objects, plain lines and non-structured JSON mixed",
      format: "auto",
      input: 'plain\n{"event":"e","data":"d"}\n{"other":1}\n{broken',
      events: [
        { data: "plain" },
        { event: "e", data: "d" },
        { data: '{"other":1}' },
        { data: "{broken" },
      ],
    },
    {
      name: "auto: a JSON object is an event only when every key is an event field (issue 15)",
      format: "auto",
      input: [
        '{"level":"info","msg":"user created","id":"u-42"}',
        '{"event":"x","data":"y","time":"2024-01-01T00:00:00Z"}',
        '{"time":"2024-01-01T00:00:00Z","source":"http://a","event":"message","id":"1","data":"z"}',
        "{}",
        '{"data":"a","extra":true}',
        '{"event":"only-a-name"}',
      ].join("\n"),
      events: [
        // Stays a log line: it does not set later events' id to u-42.
        { data: '{"level":"info","msg":"user created","id":"u-42"}' },
        { event: "x", data: "y" },
        { id: "1", data: "z" },
        { data: "{}" },
        { data: '{"data":"a","extra":true}' },
      ],
      warnings: [/^6: no "data", "id", "retry" or "comment" field, line skipped$/],
    },
    {
      name: "ndjson: a line nested deeper than 256 levels is skipped with a warning",
      format: "ndjson",
      input: `${"[".repeat(5000)}${"]".repeat(5000)}\n{"data":${"[".repeat(300)}${"]".repeat(300)}}\n{"data":"ok"}`,
      events: [{ data: "ok" }],
      warnings: [/^1: JSON nested deeper than 256 levels/, /^2: JSON nested deeper than 256/],
    },
    {
      name: "auto: an event record indented with white space is still a record",
      format: "auto",
      input: '  \t{"data":"x","id":"3"}',
      events: [{ data: "x", id: "3" }],
    },
    {
      name: "ndjson with --event: an explicit message type or null type gets no --event type",
      format: "ndjson",
      input: '{"event":"message","data":"a"}\n{"event":null,"data":"b"}\n{"data":"c"}',
      options: { defaultEventType: "tick" },
      events: [{ data: "a" }, { data: "b" }, { event: "tick", data: "c" }],
    },
    {
      name: "auto: a line nested too deep is plain data, sent as it came",
      format: "auto",
      input: `{"data":${"[".repeat(300)}${"]".repeat(300)}}`,
      events: [{ data: `{"data":${"[".repeat(300)}${"]".repeat(300)}}` }],
    },
    {
      name: "auto: input that starts like an event stream is read as sse",
      format: "auto",
      input: "\nevent: e\ndata: d\n\n",
      events: [{ event: "e", data: "d" }],
    },
    {
      name: "--event sets the type of what has none, in every format; blank lines are skipped",
      format: "ndjson",
      input: ' 42 \n\n  \n{"data":"a"}\n{"data":"b","event":"own"}\n{"data":"c","event":""}',
      options: { defaultEventType: "tick" },
      events: [
        { event: "tick", data: "42" },
        { event: "tick", data: "a" },
        { event: "own", data: "b" },
        { data: "c" },
      ],
    },
    {
      name: "auto with --event: records and plain lines get the type; blank lines are skipped",
      format: "auto",
      input: '{"data":"a"}\n  \nplain\n{"data":"b","event":"own"}',
      options: { defaultEventType: "tick" },
      events: [
        { event: "tick", data: "a" },
        { event: "tick", data: "plain" },
        { event: "own", data: "b" },
      ],
    },
    {
      name: "sse with --event: a typed event keeps its type",
      format: "sse",
      input: "data: a\n\nevent: own\ndata: b\n\n",
      options: { defaultEventType: "tick" },
      events: [
        { event: "tick", data: "a" },
        { event: "own", data: "b" },
      ],
    },
    {
      name: "ndjson: fields of the wrong type are warned about, the line skipped",
      format: "ndjson",
      input:
        '{"data":"a","id":true}\n{"data":"b","comment":1}\n{"data":"c","retry":"12a"}\n{"data":"d","retry":"12"}\n{"id":5,"event":null,"retry":null,"comment":null}\n{"data":"e","id":null}',
      events: [{ data: "d", retry: 12 }, { id: "5" }, { data: "e" }],
      warnings: [
        /^1: "id" must be a string, line skipped$/,
        /^2: "comment" must be a string, line skipped$/,
        /^3: bad "retry" "12a"/,
      ],
    },
    {
      name: "sse: comments of a block are joined; a block of only an id, retry or comment is sent",
      format: "sse",
      input: ": one\n: two\ndata: a\n\nid: 7\n\nretry: 9\n\n: alone\n\n\n",
      events: [{ data: "a", comment: "one\ntwo" }, { id: "7" }, { retry: 9 }, { comment: "alone" }],
    },
    {
      name: "sse: unknown fields are warned about with their line",
      format: "sse",
      input: "data: a\nfoo: bar\n\ndata: b\n\n",
      events: [{ data: "a" }, { data: "b" }],
      warnings: [/^2: unknown field "foo" ignored$/],
    },
    {
      // How `curl -N` captures often start: the server's greeting comment.
      name: "auto: input that starts with a comment is read as sse",
      format: "auto",
      input: ": connected\n\nid: 1\ndata: d\n\n",
      events: [{ comment: "connected" }, { id: "1", data: "d" }],
    },
    {
      name: "auto: white space before the first line does not hide an event stream",
      format: "auto",
      input: "  \t\ndata: x\n\n",
      events: [{ data: "x" }],
    },
    {
      name: "auto: a field name counts only at the start of the first line",
      format: "auto",
      input: "log data: 1\nid: 2",
      events: [{ data: "log data: 1" }, { data: "id: 2" }],
    },
    {
      name: "auto: input that starts with a data field is read as sse",
      format: "auto",
      input: "data: a\n\n",
      events: [{ data: "a" }],
    },
    {
      name: "auto: input that starts with an id field is read as sse",
      format: "auto",
      input: "id:1\ndata: a\n\n",
      events: [{ id: "1", data: "a" }],
    },
    {
      name: "auto: input that starts with a retry field is read as sse",
      format: "auto",
      input: "retry: 5\n\n",
      events: [{ retry: 5 }],
    },
    {
      name: "auto: a line starting with a colon-less word is not taken for sse",
      format: "auto",
      input: "data\nretry\n",
      events: [{ data: "data" }, { data: "retry" }],
    },
    {
      name: "ndjson: retry 0 is a retry (as a number and as a string), not a missing one",
      format: "ndjson",
      input: '{"retry":0}\n{"data":"a","retry":"0"}\n{"retry":-1}',
      events: [{ retry: 0 }, { data: "a", retry: 0 }],
      warnings: [/^3: bad "retry" -1 \(expected whole milliseconds\)/],
    },
    {
      name: "ndjson: retry as a string is digits only; a number must be whole",
      format: "ndjson",
      input: '{"retry":"0x10"}\n{"retry":"1e3"}\n{"retry":" 12"}\n{"retry":1.5}\n{"retry":"007"}',
      events: [{ retry: 7 }],
      warnings: [
        /^1: bad "retry" "0x10" \(expected whole milliseconds\), line skipped$/,
        /^2: bad "retry" "1e3" /,
        /^3: bad "retry" " 12" /,
        /^4: bad "retry" 1.5 /,
      ],
    },
    {
      name: "ndjson: a record of only a comment is sent",
      format: "ndjson",
      input: '{"comment":"keep-alive"}',
      events: [{ comment: "keep-alive" }],
    },
    {
      name: "sse: retry: 0 is passed on",
      format: "sse",
      input: "retry: 0\ndata: a\n\n",
      events: [{ retry: 0, data: "a" }],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const items = parse(testCase.format, testCase.input, testCase.options);
      // Strict: an event holds the fields it has, not others set to undefined.
      expect(events(items)).toStrictEqual(testCase.events);
      const got = warnings(items);
      expect(got).toHaveLength(testCase.warnings?.length ?? 0);
      for (const [index, pattern] of (testCase.warnings ?? []).entries()) {
        expect(got[index]).toMatch(pattern);
      }
    });
  }

  it("auto: input mixing event records and data lines gets one notice, at the first mix", () => {
    const notices = (input: string) =>
      parse("auto", input).flatMap((item) =>
        item.kind === "notice" ? [`${item.line}: ${item.message}`] : [],
      );
    const mixed = notices('{"data":"a"}\n{"data":"b"}\nplain\n{"msg":"x"}\n{"data":"c"}');
    expect(mixed).toHaveLength(1);
    expect(mixed[0]).toMatch(
      /^3: mixed input: line 1 was read as an event record, line 3 as plain data .*event, data, id, retry, comment, time.*--format ndjson or --format lines/,
    );
    expect(notices('{"data":"a"}\n{"id":"2","data":"b"}')).toEqual([]);
    expect(notices('plain\n{"msg":"log"}')).toEqual([]);
    // Not in ndjson: there every line is read as JSON, and a bad one is a warning.
    expect(
      parse("ndjson", '{"data":"a"}\n{"msg":"x"}').some((item) => item.kind === "notice"),
    ).toBe(false);
  });

  it("a time that is not a finite number or a date string is ignored", () => {
    const items = parse(
      "ndjson",
      '{"time":1e999,"data":"a"}\n{"time":"soon","data":"b"}\n{"time":[2024],"data":"c"}\n{"time":null,"data":"d"}',
    );
    expect(items).toStrictEqual([
      { kind: "event", event: { data: "a" }, line: 1 },
      { kind: "event", event: { data: "b" }, line: 2 },
      { kind: "event", event: { data: "c" }, line: 3 },
      { kind: "event", event: { data: "d" }, line: 4 },
    ]);
  });

  it("each item carries the line where its event ended, and nothing else", () => {
    expect(parse("lines", "a\n\nb")).toStrictEqual([
      { kind: "event", event: { data: "a" }, line: 1 },
      { kind: "event", event: { data: "b" }, line: 3 },
    ]);
    // sse: an event ends at its blank line; an unfinished block at the end is dropped.
    expect(parse("sse", "id: 7\n\ndata: a\ndata: b\n\ndata: open")).toStrictEqual([
      { kind: "event", event: { id: "7" }, line: 2 },
      { kind: "event", event: { data: "a\nb" }, line: 5 },
    ]);
    expect(parse("auto", "data: a\n\ndata: open")).toStrictEqual([
      { kind: "event", event: { data: "a" }, line: 2 },
    ]);
  });

  it("sse: end() discards the unfinished block, its comment and retry with it", () => {
    const parser = createInputParser("sse");
    expect(parser.pushLine(": note", 1)).toEqual([]);
    expect(parser.pushLine("retry: 5", 2)).toEqual([]);
    expect(parser.pushLine("data: open", 3)).toEqual([]);
    expect(parser.end()).toEqual([]);
    // Nothing is left to dispatch: the blank line after it ends an empty block.
    expect(parser.pushLine("", 4)).toEqual([]);
  });

  it("auto: input of blank lines only gives nothing", () => {
    expect(parse("auto", "\n  \n")).toStrictEqual([]);
  });

  it("an event without a recorded time has no timeMs key at all", () => {
    expect(parse("ndjson", '{"data":"a"}')).toStrictEqual([
      { kind: "event", event: { data: "a" }, line: 1 },
    ]);
    expect(parse("auto", '{"data":"a","time":7}\nplain')).toStrictEqual([
      { kind: "event", event: { data: "a" }, timeMs: 7, line: 1 },
      { kind: "event", event: { data: "plain" }, line: 2 },
      expect.objectContaining({ kind: "notice", line: 2 }),
    ]);
  });

  it("ndjson keeps the recorded time for --timing original", () => {
    const items = parse(
      "ndjson",
      '{"time":"2024-01-01T00:00:01.250Z","data":"a"}\n{"time":5,"data":"b"}',
    );
    expect(items.map((item) => (item.kind === "event" ? item.timeMs : undefined))).toEqual([
      Date.parse("2024-01-01T00:00:01.250Z"),
      5,
    ]);
  });
});

async function lines(chunks: Array<string | Buffer>, max = 100) {
  const out = [];
  async function* source() {
    yield* chunks;
  }
  for await (const batch of readLineBatches(source(), max)) out.push(...batch);
  return out;
}

describe("readLineBatches", () => {
  it("splits LF and CRLF across chunk boundaries, keeps the last unterminated line", async () => {
    const got = await lines(["a\r", "\nb", "c\n\r\nd"]);
    expect(got.map((line) => line.text)).toEqual(["a", "bc", "", "d"]);
    expect(got.map((line) => line.line)).toEqual([1, 2, 3, 4]);
  });

  it("skips an over-long line with a warning, without holding it", async () => {
    const got = await lines(["ok\n", "x".repeat(80), "x".repeat(80), "x".repeat(80), "\nnext\n"]);
    expect(got.map((line) => [line.line, line.text, line.skipped ?? false])).toEqual([
      [1, "ok", false],
      [2, "", true],
      [3, "next", false],
    ]);
    expect(got[1]?.warning).toMatch(/longer than 100 bytes/);
  });

  it("replaces invalid UTF-8 with U+FFFD and says so; strips one leading BOM", async () => {
    const got = await lines([Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0x62, 0xff, 0x0a])]);
    expect(got.map((line) => line.text)).toEqual(["a", "b\uFFFD"]);
    expect(got[0]?.warning).toBeUndefined();
    expect(got[1]?.warning).toMatch(/invalid UTF-8/);
  });

  it("yields nothing for empty input", async () => {
    expect(await lines([])).toEqual([]);
  });
});
