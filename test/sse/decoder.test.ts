import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { type DecodeProblem, EventStreamDecoder, type StreamEvent } from "../../src/sse/decoder.js";

interface Decoded {
  events: StreamEvent[];
  retries: number[];
  comments: string[];
  problems: DecodeProblem[];
  lastEventId: string;
}

function decode(chunks: Array<string | Uint8Array>, options = {}): Decoded {
  const out: Decoded = { events: [], retries: [], comments: [], problems: [], lastEventId: "" };
  const decoder = new EventStreamDecoder(
    {
      onEvent: (event) => out.events.push(event),
      onRetry: (ms) => out.retries.push(ms),
      onComment: (text) => out.comments.push(text),
      onProblem: (problem) => out.problems.push(problem),
    },
    options,
  );
  const encoder = new TextEncoder();
  for (const chunk of chunks)
    decoder.feed(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
  decoder.endStream();
  out.lastEventId = decoder.lastEventId;
  return out;
}

const ev = (data: string, type = "message", lastEventId = ""): StreamEvent => ({
  type,
  data,
  lastEventId,
});
/** An event whose block had no `id:`: its id is the one an earlier block set. */
const inherited = (data: string, lastEventId: string): StreamEvent => ({
  ...ev(data, "message", lastEventId),
  inheritedId: true,
});

// Each case: the stream text and the events a browser dispatches for it (HTML §9.2.6).
// `lastEventId`: the source's last event ID string after the stream ("" when not given).
const cases: Array<{ name: string; stream: string; events: StreamEvent[]; lastEventId?: string }> =
  [
    { name: "one event", stream: "data: hello\n\n", events: [ev("hello")] },
    {
      name: "CRLF line endings",
      stream: "data: a\r\n\r\ndata: b\r\n\r\n",
      events: [ev("a"), ev("b")],
    },
    { name: "lone CR line endings", stream: "data: a\r\rdata: b\r\r", events: [ev("a"), ev("b")] },
    {
      name: "mixed line endings",
      stream: "data: a\r\ndata: b\rdata: c\n\r\n",
      events: [ev("a\nb\nc")],
    },
    { name: "multi-line data", stream: "data: one\ndata: two\n\n", events: [ev("one\ntwo")] },
    {
      name: "only one leading space removed",
      stream: "data:  two spaces\n\n",
      events: [ev(" two spaces")],
    },
    { name: "no space after colon", stream: "data:x\n\n", events: [ev("x")] },
    { name: "empty data line dispatches empty data", stream: "data\n\n", events: [ev("")] },
    { name: "data: with empty value", stream: "data:\n\n", events: [ev("")] },
    { name: "two empty data lines give one LF", stream: "data\ndata\n\n", events: [ev("\n")] },
    { name: "event type", stream: "event: update\ndata: x\n\n", events: [ev("x", "update")] },
    { name: "empty event type is message", stream: "event:\ndata: x\n\n", events: [ev("x")] },
    {
      name: "event type reset after dispatch",
      stream: "event: a\ndata: 1\n\ndata: 2\n\n",
      events: [ev("1", "a"), ev("2")],
    },
    {
      name: "event type reset by data-less block",
      stream: "event: a\n\ndata: 2\n\n",
      events: [ev("2")],
    },
    { name: "comment ignored", stream: ": hello\ndata: x\n\n", events: [ev("x")] },
    { name: "unknown field ignored", stream: "foo: bar\ndata: x\n\n", events: [ev("x")] },
    { name: "field without colon is ignored name", stream: "foo\ndata: x\n\n", events: [ev("x")] },
    { name: "data with colon inside", stream: "data: a: b\n\n", events: [ev("a: b")] },
    { name: "field name is case-sensitive", stream: "Data: x\n\ndata: y\n\n", events: [ev("y")] },
    {
      name: "id sets lastEventId",
      stream: "id: 7\ndata: x\n\n",
      events: [ev("x", "message", "7")],
      lastEventId: "7",
    },
    {
      name: "id persists",
      stream: "id: 7\ndata: x\n\ndata: y\n\n",
      events: [ev("x", "message", "7"), inherited("y", "7")],
      lastEventId: "7",
    },
    {
      name: "id-only block sets lastEventId",
      stream: "id: 9\n\ndata: y\n\n",
      events: [inherited("y", "9")],
      lastEventId: "9",
    },
    {
      // Set at the blank line that ends the block, not kept back for the next event.
      name: "id-only block at the end sets lastEventId",
      stream: "data: x\n\nid: 9\n\n",
      events: [ev("x")],
      lastEventId: "9",
    },
    {
      name: "id-only block, then an empty id resets it",
      stream: "id: 9\n\nid\n\n",
      events: [],
      lastEventId: "",
    },
    {
      name: "empty id resets",
      stream: "id: 1\ndata: a\n\nid\ndata: b\n\n",
      events: [ev("a", "message", "1"), ev("b")],
      lastEventId: "",
    },
    {
      name: "id with NUL ignored",
      stream: "id: 1\ndata: a\n\nid: 2\u0000x\ndata: b\n\n",
      events: [ev("a", "message", "1"), inherited("b", "1")],
      lastEventId: "1",
    },
    {
      name: "id before data in same block",
      stream: "data: a\nid: 3\n\n",
      events: [ev("a", "message", "3")],
      lastEventId: "3",
    },
    {
      name: "final block without blank line discarded",
      stream: "data: a\n\ndata: b\n",
      events: [ev("a")],
    },
    {
      name: "final line without newline discarded",
      stream: "data: a\n\ndata: b",
      events: [ev("a")],
    },
    {
      name: "trailing id without blank line not applied",
      stream: "data: a\n\nid: 5\n",
      events: [ev("a")],
      lastEventId: "",
    },
    { name: "BOM stripped", stream: "\uFEFFdata: a\n\n", events: [ev("a")] },
    { name: "second BOM is data", stream: "\uFEFF\uFEFFdata: a\n\n", events: [] },
    { name: "BOM inside data kept", stream: "data: \uFEFFa\n\n", events: [ev("\uFEFFa")] },
    { name: "unicode", stream: "data: héllo ✓ 😀\n\n", events: [ev("héllo ✓ 😀")] },
    { name: "NUL in data kept", stream: "data: a\u0000b\n\n", events: [ev("a\u0000b")] },
    { name: "blank lines only", stream: "\n\n\n", events: [] },
    {
      name: "space before colon is part of the name",
      stream: "data : x\n\ndata: y\n\n",
      events: [ev("y")],
    },
  ];

describe("EventStreamDecoder (HTML §9.2.6)", () => {
  for (const testCase of cases) {
    it(`${testCase.name}: whole stream`, () => {
      const out = decode([testCase.stream]);
      expect(out.events).toEqual(testCase.events);
      expect(out.lastEventId).toBe(testCase.lastEventId ?? "");
    });

    it(`${testCase.name}: split at every byte boundary`, () => {
      const bytes = new TextEncoder().encode(testCase.stream);
      for (let split = 1; split < bytes.length; split++) {
        const out = decode([bytes.subarray(0, split), bytes.subarray(split)]);
        expect(out.events, `split at byte ${split}`).toEqual(testCase.events);
        expect(out.lastEventId, `split at byte ${split}`).toBe(testCase.lastEventId ?? "");
      }
    });

    it(`${testCase.name}: one byte at a time`, () => {
      const bytes = new TextEncoder().encode(testCase.stream);
      const chunks = Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1));
      const out = decode(chunks);
      expect(out.events).toEqual(testCase.events);
      expect(out.lastEventId).toBe(testCase.lastEventId ?? "");
    });
  }

  it("dispatches at a CR that ends a chunk, without waiting for more bytes", () => {
    const events: StreamEvent[] = [];
    const decoder = new EventStreamDecoder({ onEvent: (event) => events.push(event) });
    decoder.feedText("data: a\r\r");
    expect(events).toEqual([ev("a")]);
    // The LF that follows belongs to the CRLF: it must not dispatch or end another line.
    decoder.feedText("\ndata: b\r\n\r\n");
    expect(events).toEqual([ev("a"), ev("b")]);
  });

  it("retry accepts only ASCII digits", () => {
    const out = decode(["retry: 1500\n\nretry: 1.5\nretry: -1\nretry: ١٢\nretry:\nretry: 10 \n\n"]);
    expect(out.retries).toEqual([1500]);
    expect(out.problems.filter((p) => p.type === "invalid-retry")).toHaveLength(5);
  });

  it("reports comments without the leading space", () => {
    expect(decode([": ping\n:\n::x\n"]).comments).toEqual(["ping", "", ":x"]);
  });

  it("decodes invalid UTF-8 to U+FFFD", () => {
    const bytes = Uint8Array.from([...Buffer.from("data: a"), 0xff, 0xc3, ...Buffer.from("b\n\n")]);
    expect(decode([bytes]).events).toEqual([ev("a\uFFFD\uFFFDb")]);
  });

  it("keeps a multibyte character split across chunks", () => {
    const bytes = Buffer.from("data: 😀\n\n");
    expect(decode([bytes.subarray(0, 8), bytes.subarray(8)]).events).toEqual([ev("😀")]);
  });

  it("stops at maxEventSize for a long line and for many data lines", () => {
    const longLine = decode(["data: ", "x".repeat(100), "\n\n"], { maxEventSize: 50 });
    expect(longLine.events).toEqual([]);
    expect(longLine.problems).toEqual([{ type: "event-too-large", limit: 50 }]);
    const manyLines = decode([`${"data: xxxxxxxxxx\n".repeat(10)}\n`], { maxEventSize: 50 });
    expect(manyLines.problems).toEqual([{ type: "event-too-large", limit: 50 }]);
  });

  it("an id line cut off by the end of the stream is not applied after reconnecting", () => {
    const events: StreamEvent[] = [];
    const decoder = new EventStreamDecoder({ onEvent: (event) => events.push(event) });
    decoder.feedText("id: 1\ndata: a\n\nid: 5\n");
    decoder.endStream();
    expect(decoder.lastEventId).toBe("1");
    decoder.startStream();
    decoder.feedText("id: 6");
    decoder.endStream();
    expect(decoder.lastEventId).toBe("1");
    decoder.startStream();
    decoder.feedText("data: b\n\n");
    expect(events).toEqual([ev("a", "message", "1"), inherited("b", "1")]);
  });

  it("keeps the last event ID across a new stream, and strips a new BOM", () => {
    const events: StreamEvent[] = [];
    const decoder = new EventStreamDecoder(
      { onEvent: (event) => events.push(event) },
      { lastEventId: "start" },
    );
    decoder.feedText("data: a\n\nid: 4\n\ndata: half");
    decoder.endStream();
    decoder.startStream();
    decoder.feed(Buffer.from("\uFEFFdata: b\n\n"));
    expect(events).toEqual([inherited("a", "start"), inherited("b", "4")]);
  });

  it("calls handlers that are methods of an object on that object (load's clients are)", () => {
    class Counter {
      events = 0;
      retries: number[] = [];
      comments: string[] = [];
      onEvent(): void {
        this.events++;
      }
      onRetry(ms: number): void {
        this.retries.push(ms);
      }
      onComment(text: string): void {
        this.comments.push(text);
      }
    }
    const counter = new Counter();
    const decoder = new EventStreamDecoder(counter);
    decoder.feedText(": hi\nretry: 50\n\ndata: a\n\n");
    expect(counter).toMatchObject({ events: 1, retries: [50], comments: ["hi"] });
  });

  it("one BOM is stripped at the start of each body, after endStream or startStream", () => {
    const events: StreamEvent[] = [];
    const decoder = new EventStreamDecoder({ onEvent: (event) => events.push(event) });
    decoder.feed(Buffer.from("\uFEFFdata: a\n\n"));
    decoder.feed(Buffer.from("\uFEFFdata: x\n\ndata: b\n\n"));
    decoder.endStream();
    decoder.feed(Buffer.from("\uFEFFdata: c\n\n"));
    decoder.startStream();
    decoder.feed(Buffer.from("\uFEFFdata: d\n\n"));
    expect(events.map((event) => event.data)).toEqual(["a", "b", "c", "d"]);
  });
});

// Cases around the eventsource-parser adapter (issue 12): where the parser alone would differ.
describe("EventStreamDecoder over eventsource-parser", () => {
  it("text decoded as UTF-8 that starts with ï»¿ is no BOM: the field name is then unknown", () => {
    // The bytes C3 AF C2 BB C2 BF are the characters U+00EF U+00BB U+00BF, not a BOM (§9.2.5);
    // on its own the parser strips them as a BOM spelled in Latin-1 and dispatches "x".
    const bytes = new TextEncoder().encode("\u00EF\u00BB\u00BFdata: x\n\ndata: y\n\n");
    for (let split = 0; split < bytes.length; split++) {
      const out = decode([bytes.subarray(0, split), bytes.subarray(split)]);
      expect(out.events, `split at byte ${split}`).toEqual([ev("y")]);
    }
    expect(decode([bytes]).problems).toEqual([
      { type: "unknown-field", field: "\u00EF\u00BB\u00BFdata" },
    ]);
  });

  it("an event over maxEventSize is skipped when it arrives within one chunk; the next is not", () => {
    const out = decode([`data: ${"x".repeat(100)}\n\ndata: after\n\n`], { maxEventSize: 50 });
    expect(out.events).toEqual([ev("after")]);
    expect(out.problems).toEqual([{ type: "event-too-large", limit: 50 }]);
  });

  it("the bound is inclusive: data of exactly maxEventSize is delivered, one more is not", () => {
    const exact = decode([`data: ${"x".repeat(50)}\n\n`], { maxEventSize: 50 });
    expect(exact.events).toEqual([ev("x".repeat(50))]);
    expect(exact.problems).toEqual([]);
    const over = decode([`data: ${"x".repeat(51)}\n\n`], { maxEventSize: 50 });
    expect(over.events).toEqual([]);
    expect(over.problems).toEqual([{ type: "event-too-large", limit: 50 }]);
  });

  it("an unfinished line of exactly maxEventSize is held; one code unit more lets it go", () => {
    const held: number[] = [];
    const events: StreamEvent[] = [];
    const problems: DecodeProblem[] = [];
    const decoder = new EventStreamDecoder(
      { onEvent: (event) => events.push(event), onProblem: (problem) => problems.push(problem) },
      { maxEventSize: 50 },
    );
    decoder.feedText(`data: ${"x".repeat(44)}`);
    held.push(decoder.bufferedLength);
    decoder.feedText("\n\n");
    decoder.feedText(`data: ${"y".repeat(45)}`);
    held.push(decoder.bufferedLength);
    decoder.feedText("\n\ndata: z\n\n");
    expect(held).toEqual([50, 0]);
    expect(events).toEqual([ev("x".repeat(44)), ev("z")]);
    expect(problems).toEqual([{ type: "event-too-large", limit: 50 }]);
  });

  it("held data lines count their joining LF against the bound", () => {
    // Two lines of 24: the data buffer holds 24 + 1 + 24 = 49 code units until the blank line.
    const text = `data: ${"a".repeat(24)}\ndata: ${"b".repeat(24)}\n`;
    const held = (maxEventSize: number) => {
      const decoder = new EventStreamDecoder({ onEvent: () => {} }, { maxEventSize });
      decoder.feedText(text);
      return decoder.bufferedLength;
    };
    expect(held(49)).toBe(49);
    // At 48 the joining LF tips it over: the block is dropped as it arrives, nothing held.
    expect(held(48)).toBe(0);
    expect(decode([text, "\n"], { maxEventSize: 49 }).events).toEqual([
      ev(`${"a".repeat(24)}\n${"b".repeat(24)}`),
    ]);
  });

  it("a line over maxEventSize counts even when it can be no field", () => {
    const out = decode(["data: a\n\n", "x".repeat(30), "y".repeat(30), "\ndata: b\n\n"], {
      maxEventSize: 50,
    });
    expect(out.events).toEqual([ev("a")]);
    expect(out.problems).toEqual([{ type: "event-too-large", limit: 50 }]);
  });

  it("events before an over-long line in the same chunk are dispatched", () => {
    const out = decode([`data: a\n\ndata: ${"x".repeat(100)}`], { maxEventSize: 50 });
    expect(out.events).toEqual([ev("a")]);
    expect(out.problems).toEqual([{ type: "event-too-large", limit: 50 }]);
  });

  it("after a skipped event the stream goes on; a new stream keeps the last event ID", () => {
    const events: StreamEvent[] = [];
    const problems: DecodeProblem[] = [];
    const decoder = new EventStreamDecoder(
      { onEvent: (event) => events.push(event), onProblem: (problem) => problems.push(problem) },
      { maxEventSize: 20 },
    );
    decoder.feedText("id: 3\n\ndata: ");
    decoder.feedText("x".repeat(30));
    decoder.feedText("\n\ndata: lost\n\n");
    decoder.endStream();
    decoder.startStream();
    decoder.feed(Buffer.from("data: back\n\n"));
    expect(problems).toEqual([{ type: "event-too-large", limit: 20 }]);
    expect(events).toEqual([inherited("lost", "3"), inherited("back", "3")]);
  });
});

describe("decode problems are reported, never fatal", () => {
  const decode = (chunks: Uint8Array[], maxEventSize?: number) => {
    const seen: string[] = [];
    const decoder = new EventStreamDecoder(
      {
        onEvent: (event) => seen.push(`event ${JSON.stringify(event.data)}`),
        onProblem: (problem) =>
          seen.push(
            problem.type === "invalid-utf8" ? `invalid-utf8 ${problem.count}` : problem.type,
          ),
      },
      { maxEventSize },
    );
    for (const chunk of chunks) decoder.feed(chunk);
    return seen;
  };
  const bytes = (...parts: Array<string | number[]>) =>
    Buffer.concat(
      parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))),
    );

  it("counts invalid UTF-8 sequences, not the U+FFFD a server sent on purpose", () => {
    const seen = decode([bytes("data: a", [0xff], "b", [0xef, 0xbf, 0xbd], "c", [0xc3], "\n\n")]);
    expect(seen).toEqual(["invalid-utf8 2", 'event "a\uFFFDb\uFFFDc\uFFFD"']);
  });

  it("a real U+FFFD split across chunks is not counted; a cut sequence is", () => {
    expect(decode([bytes("data: x", [0xef]), bytes([0xbf, 0xbd], "\n\n")])).toEqual([
      'event "x\uFFFD"',
    ]);
    expect(decode([bytes("data: x", [0xef, 0xbf]), bytes("y\n\n")])).toEqual([
      "invalid-utf8 1",
      'event "x\uFFFDy"',
    ]);
  });

  it("a 10 MB event over the limit streams past in bounded memory; the stream goes on", () => {
    const seen: string[] = [];
    let largestBuffer = 0;
    const decoder = new EventStreamDecoder(
      {
        onEvent: (event) => seen.push(event.data),
        onProblem: (problem) => seen.push(problem.type),
      },
      { maxEventSize: 1024 },
    );
    decoder.feed(Buffer.from("data: before\n\ndata: "));
    const block = Buffer.alloc(64 * 1024, 0x61);
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += block.length) {
      decoder.feed(block);
      largestBuffer = Math.max(largestBuffer, decoder.bufferedLength);
    }
    decoder.feed(Buffer.from("\ndata: still the big one\n\ndata: after\n\n"));
    expect(seen).toEqual(["before", "event-too-large", "after"]);
    expect(largestBuffer).toBeLessThanOrEqual(1024);
  });
});

// The adapter holds the unfinished line and counts the data lines the parser holds, so that
// an oversized event is skipped and decoding goes on: the same outcome wherever chunks split.
describe("decode problems at every split point", () => {
  const limit = 40;
  const stream = [
    "id: 1\ndata: a\n\n",
    // Over the limit on one line; the id after it still counts (dispatch step 1), the data not.
    `id: 2\nretry: 500\ndata: ${"x".repeat(60)}\r\ndata: more\r\nid: 3\r\n\r\n`,
    "foo: bar\ndata: b\n\n",
    // Over the limit by its data lines together, none too long alone.
    `data: ${"y".repeat(30)}\ndata: ${"z".repeat(30)}\n\n`,
    "date: monday\nretry: soon\ndata: c\r\r",
    // A lone CR after an oversized line, then more of the same block.
    `data: ${"w".repeat(50)}\rda\n\ndata: d\n\n`,
  ].join("");
  const expected = {
    events: [
      ev("a", "message", "1"),
      inherited("b", "3"),
      inherited("c", "3"),
      inherited("d", "3"),
    ],
    retries: [500],
    problems: [
      { type: "event-too-large", limit },
      { type: "unknown-field", field: "foo" },
      { type: "event-too-large", limit },
      { type: "unknown-field", field: "date" },
      { type: "invalid-retry", value: "soon" },
      { type: "event-too-large", limit },
      { type: "unknown-field", field: "da" },
    ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    lastEventId: "3",
  };

  function decodeBounded(chunks: Uint8Array[]) {
    const out: Decoded = { events: [], retries: [], comments: [], problems: [], lastEventId: "" };
    let largestBuffer = 0;
    const decoder = new EventStreamDecoder(
      {
        onEvent: (event) => out.events.push(event),
        onRetry: (ms) => out.retries.push(ms),
        onProblem: (problem) => out.problems.push(problem),
      },
      { maxEventSize: limit },
    );
    for (const chunk of chunks) {
      decoder.feed(chunk);
      largestBuffer = Math.max(largestBuffer, decoder.bufferedLength);
    }
    out.lastEventId = decoder.lastEventId;
    const { comments: _comments, ...seen } = out;
    // Within one block the order of problems may differ: an event over the limit that came
    // within one chunk is told at its end, one that grew over several chunks as it grew.
    seen.problems.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return { seen, largestBuffer };
  }

  it("split in two at every byte", () => {
    const bytes = new TextEncoder().encode(stream);
    for (let split = 0; split <= bytes.length; split++) {
      const { seen, largestBuffer } = decodeBounded([
        bytes.subarray(0, split),
        bytes.subarray(split),
      ]);
      expect(seen, `split at byte ${split}`).toEqual(expected);
      expect(largestBuffer).toBeLessThanOrEqual(limit);
    }
  });

  it("one byte at a time, holding at most the limit", () => {
    const bytes = new TextEncoder().encode(stream);
    const { seen, largestBuffer } = decodeBounded(
      Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1)),
    );
    expect(seen).toEqual(expected);
    expect(largestBuffer).toBeLessThanOrEqual(limit);
  });

  it("invalid UTF-8 is counted the same at every split (a U+FFFD sent is not counted)", () => {
    const bytes = Buffer.concat([
      Buffer.from("data: a"),
      Buffer.from([0xff]),
      Buffer.from("b"),
      Buffer.from([0xef, 0xbf, 0xbd]),
      Buffer.from("c"),
      Buffer.from([0xc3]),
      Buffer.from("\n\n"),
    ]);
    const counted = (chunks: Uint8Array[]) =>
      decode(chunks).problems.reduce(
        (sum, problem) => sum + (problem.type === "invalid-utf8" ? problem.count : 0),
        0,
      );
    for (let split = 0; split <= bytes.length; split++) {
      expect(counted([bytes.subarray(0, split), bytes.subarray(split)]), `split ${split}`).toBe(2);
    }
    expect(counted(Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1)))).toBe(2);
  });
});

describe("what the parser holds is bounded too", () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  /** V8's heap, and the external strings TextDecoder returns on Node 24 and later. */
  const stringMemory = () => {
    for (let i = 0; i < 3; i++) gc();
    const { heapUsed, external } = process.memoryUsage();
    return heapUsed + external;
  };

  /** Heap growth (MB) while 20 MB of data lines of one block arrive, one line per chunk. */
  function heldMb(
    maxEventSize: number,
    line = `data: ${"a".repeat(1000)}\n`,
  ): { mb: number; problems: number; events: string[] } {
    let problems = 0;
    const events: string[] = [];
    const decoder = new EventStreamDecoder(
      { onEvent: (event) => events.push(event.data), onProblem: () => problems++ },
      { maxEventSize },
    );
    const before = stringMemory();
    // Each line a new string (as from the network), so held data cannot share one.
    const bytes = Buffer.from(line);
    for (let i = 0; i < 20_000; i++) decoder.feed(bytes);
    const mb = (stringMemory() - before) / 1e6;
    decoder.feedText("\ndata: after\n\n");
    return { mb, problems, events: events.map((data) => data.slice(0, 10)) };
  }

  it("an event of many data lines over the limit is dropped as it grows, not at its end", () => {
    // The control: without a bound the parser holds all 20 MB, so the test can fail.
    expect(heldMb(Number.POSITIVE_INFINITY).mb).toBeGreaterThan(15);
    const bounded = heldMb(64 * 1024);
    expect(bounded.mb).toBeLessThan(5);
    expect(bounded.problems).toBe(1);
    expect(bounded.events).toEqual(["after"]);
    // CRLF cut in two at every chunk: the LF opening a chunk is no blank line.
    const crlf = heldMb(64 * 1024, `\ndata: ${"a".repeat(1000)}\r`);
    expect(crlf.mb).toBeLessThan(5);
    expect(crlf.problems).toBe(1);
  });
});

describe("the parser's errors cost no stack traces; the caller's are kept", () => {
  it("handlers see the caller's Error.stackTraceLimit, restored after a handler throws", () => {
    const before = Error.stackTraceLimit;
    const problems: DecodeProblem[] = [];
    const decoder = new EventStreamDecoder({
      onEvent: () => {
        throw new Error("from a handler");
      },
      onProblem: (problem) => problems.push(problem),
    });
    let thrown: unknown;
    try {
      decoder.feedText("foo: bar\ndata: a\n\n");
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toBe("from a handler");
    expect((thrown as Error).stack?.split("\n").length).toBeGreaterThan(1);
    expect(Error.stackTraceLimit).toBe(before);
    expect(problems).toEqual([{ type: "unknown-field", field: "foo" }]);
  });
});

// The adapter's own bookkeeping around the parser: what it counts as held, where it cuts a chunk,
// what a new stream forgets, how a skipped block ends. Each value below is counted by hand.
describe("the adapter's bookkeeping", () => {
  /** A decoder that records everything, and the records. */
  function recording(options: { maxEventSize?: number; lastEventId?: string } = {}) {
    const events: StreamEvent[] = [];
    const problems: DecodeProblem[] = [];
    const decoder = new EventStreamDecoder(
      { onEvent: (event) => events.push(event), onProblem: (problem) => problems.push(problem) },
      options,
    );
    return { decoder, events, problems };
  }

  it("counts held data exactly: each data line's value, joined by one LF, whatever ends the lines", () => {
    const { decoder, events } = recording();
    // Data values "aaaa" (4), "bbb" (1 + 3), "" (1 + 0): 9. "data2", "abcd", "id" are no data.
    decoder.feedText("data: aaaa\rdata:bbb\r\ndata\ndata2: x\nabcd\nid: 1\r");
    expect(decoder.bufferedLength).toBe(9);
    // The LF of the CRLF begun above: no blank line, the block is still held.
    decoder.feedText("\n");
    expect(decoder.bufferedLength).toBe(9);
    expect(events).toEqual([]);
    decoder.feedText("\n");
    expect(events).toEqual([ev("aaaa\nbbb\n", "message", "1")]);
    expect(decoder.bufferedLength).toBe(0);
  });

  it("counts held data of a block begun by a blank line in the chunk", () => {
    const { decoder, events } = recording();
    decoder.feedText(":\ndata: aaaa\n");
    expect(decoder.bufferedLength).toBe(4);
    // An LF after an LF is a blank line: "aaaa" goes out, "bb" is held.
    decoder.feedText("\ndata: bb\n");
    expect(events).toEqual([ev("aaaa")]);
    expect(decoder.bufferedLength).toBe(2);
    decoder.feedText("\rdata: c\rdata: dd\r");
    expect(events).toEqual([ev("aaaa"), ev("bb")]);
    expect(decoder.bufferedLength).toBe(4);
    // A lone CR is a line break of its own: after the CR above, a CR is a blank line.
    decoder.feedText("\r");
    expect(events).toEqual([ev("aaaa"), ev("bb"), ev("c\ndd")]);
    expect(decoder.bufferedLength).toBe(0);
  });

  it("a blank line of two lone CRs within a chunk ends the block before it", () => {
    const { decoder, events } = recording();
    decoder.feedText("data: a\r\rdata: bb\r");
    expect(events).toEqual([ev("a")]);
    expect(decoder.bufferedLength).toBe(2);
  });

  it("endStream drops a half line and a half block: the next body starts clean", () => {
    const { decoder, events } = recording();
    decoder.feedText("data: a\n\ndata: held\ndata: ha");
    decoder.endStream();
    decoder.feedText("data: b");
    decoder.feedText("\n\n");
    expect(events).toEqual([ev("a"), ev("b")]);
  });

  it("a block over the bound is told once, however many chunks it grows over", () => {
    // 8, then 8 + 1 + 8 = 17 > 10 (skipped; counting restarts), then 9, then 18 > 10 again.
    const { decoder, events, problems } = recording({ maxEventSize: 10 });
    for (const letter of "abcd") decoder.feedText(`data: ${letter.repeat(8)}\n`);
    decoder.feedText("\ndata: e\n\n");
    expect(problems).toEqual([{ type: "event-too-large", limit: 10 }]);
    expect(events).toEqual([ev("e")]);
  });

  it("dispatches at the last line break of a chunk, CR or LF, without waiting for more", () => {
    const crAfterLf = recording();
    crAfterLf.decoder.feedText("data: a\n\rdata: b");
    expect(crAfterLf.events).toEqual([ev("a")]);
    const lonesCrs = recording();
    lonesCrs.decoder.feedText("data: a\r\rdata: b");
    expect(lonesCrs.events).toEqual([ev("a")]);
    const afterHeldLine = recording();
    afterHeldLine.decoder.feedText("data: a");
    afterHeldLine.decoder.feedText("\n\rdata: b");
    expect(afterHeldLine.events).toEqual([ev("a")]);
    afterHeldLine.decoder.feedText("\n\n");
    expect(afterHeldLine.events).toEqual([ev("a"), ev("b")]);
  });

  it("endStream and startStream forget the held block's data", () => {
    const { decoder } = recording();
    decoder.feedText("data: held\n");
    expect(decoder.bufferedLength).toBe(4);
    decoder.endStream();
    expect(decoder.bufferedLength).toBe(0);
    decoder.feedText("data: held\n");
    decoder.startStream();
    expect(decoder.bufferedLength).toBe(0);
  });

  it("startStream drops a half line and a half block without endStream", () => {
    const { decoder, events } = recording();
    decoder.feedText("data: a\n\ndata: held\ndata: half");
    decoder.startStream();
    decoder.feedText("data: b");
    decoder.feedText("\n\n");
    expect(events).toEqual([ev("a"), ev("b")]);
  });

  it("a new body's text that starts with ï»¿ is no BOM either (after endStream or startStream)", () => {
    const { decoder, events, problems } = recording();
    const latin1Bom = new TextEncoder().encode("\u00EF\u00BB\u00BFdata: x\n\ndata: y\n\n");
    decoder.feed(Buffer.from("data: a\n\n"));
    decoder.endStream();
    decoder.feed(latin1Bom);
    decoder.startStream();
    decoder.feed(latin1Bom);
    expect(events).toEqual([ev("a"), ev("y"), ev("y")]);
    expect(problems).toEqual([
      { type: "unknown-field", field: "\u00EF\u00BB\u00BFdata" },
      { type: "unknown-field", field: "\u00EF\u00BB\u00BFdata" },
    ]);
  });

  it("tells the invalid UTF-8 of one chunk once, also when the chunk is cut at a line break", () => {
    const { decoder, events, problems } = recording();
    decoder.feed(
      Uint8Array.from([...Buffer.from("data: "), 0xff, 0x0a, ...Buffer.from("data: "), 0xff]),
    );
    expect(problems).toEqual([{ type: "invalid-utf8", count: 2 }]);
    decoder.feed(Buffer.from("\n\n"));
    expect(events).toEqual([ev("\uFFFD\n\uFFFD")]);
  });

  it("the id of a skipped block counts at its blank line, not before, and not when cut off", () => {
    // The block grows over the bound in its second chunk: the parser gives it up there.
    const cutOff = recording({ maxEventSize: 10 });
    cutOff.decoder.feedText("id: 1\ndata: a\n\nid: 2\n");
    cutOff.decoder.feedText(`data: ${"x".repeat(20)}\n`);
    expect(cutOff.decoder.lastEventId).toBe("1");
    cutOff.decoder.endStream();
    expect(cutOff.decoder.lastEventId).toBe("1");

    const ended = recording({ maxEventSize: 10 });
    ended.decoder.feedText("id: 1\ndata: a\n\nid: 2\n");
    ended.decoder.feedText(`data: ${"x".repeat(20)}\n`);
    ended.decoder.feedText("\ndata: b\n\n");
    expect(ended.events).toEqual([ev("a", "message", "1"), inherited("b", "2")]);
    expect(ended.problems).toEqual([{ type: "event-too-large", limit: 10 }]);

    // Without an id of its own the skipped block sets none.
    const noId = recording({ maxEventSize: 10 });
    noId.decoder.feedText(`data: ${"x".repeat(20)}\n`);
    // The LF is a blank line (the one before it ended a line): the next block starts after it.
    noId.decoder.feedText("\ndata: b\n");
    expect(noId.decoder.bufferedLength).toBe(1);
    noId.decoder.feedText("\n");
    expect(noId.events).toEqual([ev("b")]);
    expect(noId.decoder.lastEventId).toBe("");
  });

  // How a skipped line ends: each case is fed chunk by chunk (strings as text, bytes as bytes);
  // only "c" (or "b") is a new event after the skipped block.
  const x20 = `data: ${"x".repeat(20)}`;
  const x30 = `data: ${"x".repeat(30)}`;
  const skippedLineEnds: Array<
    [name: string, limit: number, chunks: Array<string | Uint8Array>, data: string]
  > = [
    // The LF of the CRLF is skipped once; the blank line after it ends the skipped block.
    ["its CR ends a chunk, the LF the next", 10, [`${x20}\r`, "\n", "\n", "data: b\n\n"], "b"],
    [
      "an empty chunk between its CR and LF",
      10,
      [`${x20}\r`, new Uint8Array(0), "", "\ndata: lost\n\ndata: c\n\n"],
      "c",
    ],
    // The same when the oversized line was being discarded as it streamed past.
    ["discarded, its CR ends a chunk", 10, [x20, "yyy\r", "\ndata: lost\n\ndata: c\n\n"], "c"],
    // A chunk whose only line break ends the skipped line: what follows it is held, alone.
    [
      "its LF opens a chunk with no other line break",
      20,
      [`${x30}\r`, "\ndata: lost", "\n\ndata: c\n\n"],
      "c",
    ],
    [
      "discarded, its LF the one line break of a chunk",
      20,
      [x30, "yyy\ndata: lost", "\n\ndata: c\n\n"],
      "c",
    ],
    [
      "discarded up to an LF, its chunk ending in the CR of a later CRLF",
      20,
      [x30, "yyy\n\ndata: c\r", "\n\n"],
      "c",
    ],
  ];
  for (const [name, limit, chunks, data] of skippedLineEnds) {
    it(`a skipped line's end: ${name}`, () => {
      const { decoder, events, problems } = recording({ maxEventSize: limit });
      for (const chunk of chunks) {
        if (typeof chunk === "string") decoder.feedText(chunk);
        else decoder.feed(chunk);
      }
      expect(events).toEqual([ev(data)]);
      expect(problems).toEqual([{ type: "event-too-large", limit }]);
    });
  }

  it("an oversized unfinished line ends at the next line break; a blank line after it ends its block", () => {
    const { decoder, events, problems } = recording({ maxEventSize: 10 });
    decoder.feedText(`data: ${"x".repeat(20)}`);
    expect(decoder.bufferedLength).toBe(0);
    decoder.feedText("\n\ndata: b");
    decoder.feedText("\n\n");
    expect(events).toEqual([ev("b")]);
    expect(problems).toEqual([{ type: "event-too-large", limit: 10 }]);
  });

  it("retry, comment and problem handlers see the caller's Error.stackTraceLimit too", () => {
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 7;
    const seen: string[] = [];
    try {
      const decoder = new EventStreamDecoder({
        onEvent: () => seen.push(`event ${Error.stackTraceLimit}`),
        onRetry: () => seen.push(`retry ${Error.stackTraceLimit}`),
        onComment: () => seen.push(`comment ${Error.stackTraceLimit}`),
        onProblem: () => seen.push(`problem ${Error.stackTraceLimit}`),
      });
      decoder.feedText(": c\nretry: 5\nfoo: bar\ndata: a\n\n");
      expect(Error.stackTraceLimit).toBe(7);
    } finally {
      Error.stackTraceLimit = before;
    }
    expect(seen).toEqual(["comment 7", "retry 7", "problem 7", "event 7"]);
  });
});

describe("held data of a block longer than the last 256 code units of a chunk", () => {
  const long = `data: ${"x".repeat(300)}`;
  const held = (...chunks: string[]) => {
    const decoder = new EventStreamDecoder({ onEvent: () => {} });
    for (const chunk of chunks) decoder.feedText(chunk);
    return decoder.bufferedLength;
  };

  it("finds the blank line far back, whichever line breaks make it", () => {
    expect(held(`data: a\n\n${long}\n`)).toBe(300);
    expect(held(`data: a\r\r${long}\r`)).toBe(300);
    expect(held(`data: a\n\r${long}\n`)).toBe(300);
    expect(held(`data: a\r\n\r\n${long}\r\n`)).toBe(300);
    // Two data lines after the blank line: 1 + 1 + 300.
    expect(held(`data: a\n\ndata: b\n${long}\n`)).toBe(302);
    // The blank line right after the chunk's first line: what was held before ends there.
    expect(held("data: q\n", `a\n\n${long}\n`)).toBe(300);
    // No blank line: "a" joins the long line.
    expect(held(`data: a\n${long}\n`)).toBe(302);
  });

  it("a line break opening the chunk is a blank line unless it ends a CRLF", () => {
    expect(held("data: a\n", `\n${long}\n`)).toBe(300);
    expect(held("data: a\n", `\r${long}\n`)).toBe(300);
    expect(held("data: a\r", `\r${long}\n`)).toBe(300);
    // The LF of "data: a\r\n": the block goes on, "a" and the long line joined.
    expect(held("data: a\r", `\n${long}\n`)).toBe(302);
  });
});
