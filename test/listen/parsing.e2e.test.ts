/**
 * Every parsing rule of HTML §9.2.5–9.2.6, end to end: a real server sends the bytes, the built
 * binary decodes them, and `--json` output is parsed back and compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventStreamDecoder, type StreamEvent } from "../../src/sse/decoder.js";
import { runCli } from "../helpers/cli-process.js";
import {
  type RouteHandler,
  sendChunks,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { dripBytes } from "../helpers/sse-routes.js";

interface Shown {
  event: string;
  id: string;
  data: string;
}

const ev = (data: string, event = "message", id = ""): Shown => ({ event, id, data });

const cases: Array<{ name: string; body: string | Uint8Array; expected: Shown[] }> = [
  { name: "leading BOM is stripped", body: "\uFEFFdata: a\n\n", expected: [ev("a")] },
  {
    name: "a second BOM is not stripped (the line's field is then unknown)",
    body: "\uFEFFdata: a\n\n\uFEFFdata: b\n\n",
    expected: [ev("a")],
  },
  {
    name: "CRLF, lone CR and lone LF all end lines",
    body: "data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\n\n",
    expected: [ev("a"), ev("b"), ev("c"), ev("d")],
  },
  { name: "comments are ignored", body: ": hello\n:\ndata: a\n: more\n\n", expected: [ev("a")] },
  {
    name: "a line without colon is a field with an empty value",
    body: "data\n\ndata\ndata\n\n",
    expected: [ev(""), ev("\n")],
  },
  {
    name: "only one leading space is removed",
    body: "data:  two\n\ndata:none\n\ndata: \n\n",
    expected: [ev(" two"), ev("none"), ev("")],
  },
  {
    name: "multi-line data joins with LF",
    body: "data: a\ndata: b\ndata: c\n\n",
    expected: [ev("a\nb\nc")],
  },
  {
    name: "event defaults to message and resets after dispatch",
    body: "event: custom\ndata: a\n\ndata: b\n\nevent:\ndata: c\n\n",
    expected: [ev("a", "custom"), ev("b"), ev("c")],
  },
  {
    name: "an id containing NUL is ignored",
    body: "id: 1\ndata: a\n\nid: x\u0000y\ndata: b\n\n",
    expected: [ev("a", "message", "1"), ev("b", "message", "1")],
  },
  {
    name: "an id-only block still sets the last event ID",
    body: "id: 7\n\ndata: a\n\n",
    expected: [ev("a", "message", "7")],
  },
  {
    name: "an empty id resets the last event ID; it persists otherwise",
    body: "id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n",
    expected: [ev("a", "message", "1"), ev("b", "message", "1"), ev("c")],
  },
  {
    name: "an empty data buffer dispatches nothing but resets the type",
    body: "event: x\n\ndata: a\n\n",
    expected: [ev("a")],
  },
  {
    name: "unknown fields and invalid retry are ignored",
    body: "foo: bar\nretry: 1x\ndata: a\n\n",
    expected: [ev("a")],
  },
  {
    name: "a final block without a blank line is discarded",
    body: "data: a\n\ndata: b",
    expected: [ev("a")],
  },
  {
    name: "invalid UTF-8 decodes to U+FFFD; charset is ignored",
    body: Buffer.concat([Buffer.from("data: a"), Buffer.from([0xff, 0xc3]), Buffer.from("b\n\n")]),
    expected: [ev("a\uFFFD\uFFFDb")],
  },
  {
    name: "multi-byte characters pass through",
    body: "data: héllo 🌍 中文\n\n",
    expected: [ev("héllo 🌍 中文")],
  },
];

/** The events the spec-exact decoder (unit-tested at every split point) gives for `bytes`. */
function reference(bytes: Uint8Array): Shown[] {
  const events: StreamEvent[] = [];
  const decoder = new EventStreamDecoder({ onEvent: (event) => events.push(event) });
  decoder.feed(bytes);
  decoder.endStream();
  return events.map((event) => ev(event.data, event.type, event.lastEventId));
}

/** A deterministic stream of binary garbage with line breaks, NUL and invalid UTF-8. */
function garbage(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = 12345;
  const alphabet = Buffer.from("data: id:event:\n\r\n\r \0\xff\xfe\xc3");
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state % 3 === 0 ? alphabet[state % alphabet.length]! : (state >>> 8) & 0xff;
  }
  return bytes;
}

const featureStream = Buffer.from(
  "\uFEFF: comment\r\nid: 1\r\nevent: a\r\ndata: x\r\ndata:  y\r\n\r\n" +
    "data: é🌍\r\rid: 2\n\ndata\n\nretry: 10\ndata: z\n\ndata: tail",
);

let server: TestServer;
beforeAll(async () => {
  const routes: Record<string, RouteHandler> = {};
  cases.forEach((testCase, index) => {
    // The charset parameter is wrong on purpose: §9.2.5 decodes UTF-8 whatever it says.
    routes[`/case/${index}`] = (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=iso-8859-1" });
      response.end(testCase.body);
    };
  });
  routes["/garbage"] = sendChunks([garbage(20_000)]);
  routes["/drip"] = dripBytes(featureStream);
  routes["/whole"] = sendChunks([featureStream]);
  server = await startTestServer(routes);
});
afterAll(() => server.close());

async function listenJson(path: string): Promise<Shown[]> {
  const result = await runCli(["listen", "--json", "--no-reconnect", `${server.url}${path}`]);
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.split("\n");
  expect(lines.pop()).toBe("");
  return lines.map((line) => {
    const parsed = JSON.parse(line) as Record<string, string>;
    // Exactly these keys, in this order; time is an ISO-8601 instant.
    expect(Object.keys(parsed)).toEqual(["time", "event", "id", "data"]);
    expect(new Date(parsed.time!).toISOString()).toBe(parsed.time);
    return { event: parsed.event!, id: parsed.id!, data: parsed.data! };
  });
}

describe.concurrent("listen --json follows every parsing rule", () => {
  cases.forEach((testCase, index) => {
    it(testCase.name, async () => {
      expect(await listenJson(`/case/${index}`)).toEqual(testCase.expected);
    });
  });

  it("binary garbage never crashes and decodes like the reference decoder", async () => {
    const shown = await listenJson("/garbage");
    expect(shown).toEqual(reference(garbage(20_000)));
  });

  it("a stream dripped one byte per write decodes exactly as when sent whole", async () => {
    const [dripped, whole] = await Promise.all([listenJson("/drip"), listenJson("/whole")]);
    expect(dripped).toEqual(reference(featureStream));
    expect(whole).toEqual(dripped);
    expect(dripped).toEqual([
      ev("x\n y", "a", "1"),
      ev("é🌍", "message", "1"),
      ev("", "message", "2"),
      ev("z", "message", "2"),
    ]);
  });
});
