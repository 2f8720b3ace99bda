/**
 * What `serve --replay` makes of a recording (src/serve/replay-plan.ts): the responses in
 * order with the headers it sends again, and where a Last-Event-ID resumes.
 */
import { describe, expect, it } from "vitest";
import type { RecordingEntry } from "../../../src/recording/format.js";
import { buildReplayPlan, ReplayPlan } from "../../../src/serve/feeds/replay-plan.js";

const header: RecordingEntry = { type: "recording", version: 1, started: "" };
const request = (t: number): RecordingEntry => ({
  type: "request",
  t,
  method: "GET",
  url: "http://x/events",
  headers: {},
});
const response = (t: number, status = 200, headers = {}): RecordingEntry => ({
  type: "response",
  t,
  status,
  statusText: "OK",
  url: "http://x/events",
  headers: { "content-type": "text/event-stream", ...headers },
});
const chunk = (t: number, text: string): RecordingEntry => ({
  type: "chunk",
  t,
  bytes: Buffer.from(text),
});

function plan(entries: RecordingEntry[]): ReplayPlan {
  const built = buildReplayPlan([header, ...entries]);
  if (!(built instanceof ReplayPlan)) throw new Error(built.problem);
  return built;
}

describe("buildReplayPlan", () => {
  it("keeps each response's head, chunks and end", () => {
    const built = plan([
      request(0),
      response(4),
      chunk(5, "id: 1\ndata: a\n\n"),
      chunk(300, "data: b\n\n"),
      { type: "disconnect", t: 600, reason: "dropped", detail: "reset" },
      request(700),
      response(704, 503),
      { type: "disconnect", t: 705, reason: "dropped" },
      request(900),
      response(903),
      chunk(904, "id: 2\ndata: c\n\n"),
    ]);
    expect(
      built.segments.map((segment) => ({
        requestT: segment.requestT,
        headT: segment.headT,
        status: segment.status,
        chunks: segment.chunks.map((item) => [item.t, item.bytes.toString()]),
        end: segment.end,
      })),
    ).toEqual([
      {
        requestT: 0,
        headT: 4,
        status: 200,
        chunks: [
          [5, "id: 1\ndata: a\n\n"],
          [300, "data: b\n\n"],
        ],
        end: "dropped",
      },
      { requestT: 700, headT: 704, status: 503, chunks: [], end: "dropped" },
      {
        requestT: 900,
        headT: 903,
        status: 200,
        chunks: [[904, "id: 2\ndata: c\n\n"]],
        end: undefined,
      },
    ]);
  });

  it("sends the recorded headers again, less the ones about the original connection", () => {
    const built = plan([
      request(0),
      response(1, 200, {
        "x-custom": "kept",
        "cache-control": "no-cache",
        connection: "keep-alive, x-hop",
        "x-hop": "named in Connection",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        "content-length": "12",
        "content-encoding": "gzip",
        "access-control-allow-origin": "*",
        "set-cookie": ["[redacted]"],
        "x-secret": "[redacted]",
        "x-bad": "line\r\nbreak",
        "bad name": "x",
      }),
    ]);
    expect(Object.fromEntries(built.segments[0]!.headers)).toEqual({
      "content-type": "text/event-stream",
      "x-custom": "kept",
      "cache-control": "no-cache",
    });
    expect(built.unsendableHeaders).toBe(2);
  });

  it.each([
    [[chunk(1, "x")], "a chunk without a response before it"],
    [[response(1)], "a response before any request"],
    [[request(0), response(1, 101)], "status 101 cannot be replayed"],
    [[request(0)], "the recording holds no response to replay"],
  ])("refuses %j: %s", (entries, problem) => {
    expect(buildReplayPlan([header, ...entries])).toEqual({ problem });
  });
});

describe("where a client starts", () => {
  const recorded = plan([
    request(0),
    response(1),
    chunk(2, "id: 1\ndata: a\n\nid: 2\r\ndata: b\r\n\r"),
    chunk(3, "\nid: 3\ndata: c\n\n"),
    { type: "disconnect", t: 4, reason: "dropped" },
    request(5),
    response(6, 503),
    { type: "disconnect", t: 7, reason: "dropped" },
    request(8),
    response(9),
    chunk(10, "data: again 3\n\nid: 1\ndata: repeated\n\nid: 4\ndata: d\n\ndata: e\n\n"),
  ]);

  it("starts from the top without a Last-Event-ID, with earliest, or with an unknown id", () => {
    const top = { segment: 0, chunk: 0, offset: 0 };
    expect(recorded.startFor(undefined)).toEqual({ kind: "start", position: top });
    expect(recorded.startFor("earliest")).toEqual({ kind: "earliest", position: top });
    expect(recorded.startFor("99")).toEqual({ kind: "unknown-id", position: top });
  });

  it("goes on right after the block that first set the id", () => {
    expect(recorded.startFor("1")).toEqual({
      kind: "resumed",
      position: { segment: 0, chunk: 0, offset: "id: 1\ndata: a\n\n".length },
    });
    // id 2's blank line is the CR ending chunk 0 and the LF starting chunk 1: after both.
    expect(recorded.startFor("2")).toEqual({
      kind: "resumed",
      position: { segment: 0, chunk: 1, offset: 1 },
    });
    expect(recorded.startFor("4")).toEqual({
      kind: "resumed",
      position: { segment: 2, chunk: 0, offset: 52 },
    });
  });

  it("goes on with the next stream after the end of a response, skipping a failed one", () => {
    expect(recorded.startFor("3")).toEqual({
      kind: "resumed",
      position: { segment: 2, chunk: 0, offset: 0 },
    });
  });
});
