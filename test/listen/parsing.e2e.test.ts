/**
 * Every parsing rule of HTML §9.2.5–9.2.6, end to end: a real server sends the bytes, the built
 * binary decodes them, and `--json` output is parsed back and compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/**
 * A deterministic stream of binary garbage (NUL, invalid UTF-8, every byte but CR and LF) laid
 * out in lines whose meaning is known by construction, so the expected events are written
 * here and not taken from a decoder: comments and unknown fields holding garbage (ignored),
 * `data:`, `id:` and `event:` lines with garbage values (decoded with TextDecoder, which
 * replaces invalid sequences as §9.2.5 says; CR and LF are never part of a UTF-8 sequence, so
 * decoding each value alone is decoding the stream), blank lines (dispatch), and line breaks
 * of all three kinds.
 */
function garbageStream(blocks: number): { bytes: Uint8Array; expected: Shown[] } {
  let state = 12345;
  const random = (below: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % below;
  };
  const alphabet = Buffer.from("a :\0\xff\xfe\xc3\xa9\xe2\x82\xf0\x9f\x98\xef\xbb\xbf");
  const garbage = () => {
    const bytes = Buffer.alloc(random(40));
    for (let i = 0; i < bytes.length; i++) {
      // Any byte but CR and LF, often one from the alphabet (sequences that look like UTF-8).
      let byte = random(2) === 0 ? alphabet[random(alphabet.length)]! : random(256);
      if (byte === 0x0a || byte === 0x0d) byte = 0x20;
      bytes[i] = byte;
    }
    return bytes;
  };
  const utf8 = (bytes: Buffer) => new TextDecoder().decode(bytes);
  const breaks = ["\n", "\r", "\r\n"];
  const parts: Buffer[] = [];
  let lastBreak = "";
  const line = (...pieces: Array<string | Buffer>) => {
    for (const piece of pieces) parts.push(Buffer.from(piece));
    // An LF right after a CR would make one CRLF with it, not end an empty line.
    const choices = pieces.length === 0 && lastBreak === "\r" ? ["\r", "\r\n"] : breaks;
    lastBreak = choices[random(choices.length)]!;
    parts.push(Buffer.from(lastBreak));
  };
  const expected: Shown[] = [];
  let lastEventId = "";
  for (let block = 0; block < blocks; block++) {
    let type = "";
    const data: string[] = [];
    let id: string | undefined;
    const lines = 1 + random(5);
    for (let n = 0; n < lines; n++) {
      const value = garbage();
      switch (random(6)) {
        case 0:
          line(":", value);
          break;
        case 1:
          // A field name that starts with "x" is never one of the four.
          line("x", value, ": ", value);
          break;
        case 2:
          line("event: ", value);
          type = utf8(value);
          break;
        case 3:
          line("id: ", value);
          if (!value.includes(0)) id = utf8(value);
          break;
        default:
          line("data: ", value);
          data.push(utf8(value));
      }
    }
    line();
    if (id !== undefined) lastEventId = id;
    if (data.length > 0)
      expected.push(ev(data.join("\n"), type === "" ? "message" : type, lastEventId));
  }
  return { bytes: Buffer.concat(parts), expected };
}

const garbage = garbageStream(400);

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
  // Sent in uneven chunks, so that lines and UTF-8 sequences are cut.
  routes["/garbage"] = sendChunks(
    Array.from({ length: Math.ceil(garbage.bytes.length / 997) }, (_chunk, index) =>
      garbage.bytes.subarray(index * 997, (index + 1) * 997),
    ),
  );
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

  it("binary garbage never crashes and decodes as the spec says", async () => {
    // Hundreds of events: the comparison cannot pass by both sides being empty.
    expect(garbage.expected.length).toBeGreaterThan(200);
    expect(await listenJson("/garbage")).toEqual(garbage.expected);
  });

  it("a stream dripped one byte per write decodes exactly as when sent whole", async () => {
    const [dripped, whole] = await Promise.all([listenJson("/drip"), listenJson("/whole")]);
    expect(whole).toEqual(dripped);
    expect(dripped).toEqual([
      ev("x\n y", "a", "1"),
      ev("é🌍", "message", "1"),
      ev("", "message", "2"),
      ev("z", "message", "2"),
    ]);
  });
});
