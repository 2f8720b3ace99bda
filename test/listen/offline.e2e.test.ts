/**
 * `listen` reading what was captured, the built binary spawned as a user runs it: each input
 * kind (a stdin pipe, a raw capture file, a `--record` recording) with each view and check.
 * The capture has a BOM, CRLF line ends and a last event cut off (never shown, as a browser
 * drops it); the recording holds the same bytes in three chunks with their times.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../helpers/cli-process.js";

const capture =
  "\uFEFFretry: 1000\r\n" +
  'id: 1\r\nevent: ready\r\ndata: {"a":1}\r\n\r\n' +
  "id: 2\r\ndata: two\r\n\r\n: heartbeat\r\n\r\n" +
  "id: 3\r\nevent: done\r\ndata: bye\r\n\r\n" +
  "id: 4\r\ndata: cut off";

const started = "2026-01-02T03:04:05.000Z";

/** A recording of `capture` in three chunks, at 10, 110 and 310 ms. */
function recordingOf(body: string, times = [10, 110, 310]): string {
  const cuts = [0, body.indexOf("id: 2"), body.indexOf("id: 3"), body.length];
  const lines = [
    { type: "recording", version: 1, started, tool: "sse-tool" },
    { type: "request", t: 0, method: "GET", url: "http://127.0.0.1:1/events", headers: {} },
    {
      type: "response",
      t: 5,
      status: 200,
      statusText: "OK",
      url: "http://127.0.0.1:1/events",
      headers: {},
    },
    ...times.map((t, i) => ({ type: "chunk", t, text: body.slice(cuts[i], cuts[i + 1]) })),
    { type: "disconnect", t: 320, reason: "ended" },
  ];
  return lines.map((line) => `${JSON.stringify(line)}\n`).join("");
}

type Kind = "stdin" | "file" | "recording";
const kinds: Kind[] = ["stdin", "file", "recording"];

let dir: string;
const paths: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sse-tool-offline-"));
  paths.file = join(dir, "capture.sse");
  paths.recording = join(dir, "stream.jsonl");
  await writeFile(paths.file, capture);
  await writeFile(paths.recording, recordingOf(capture));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(kind: Kind, args: string[]): Promise<CliResult> {
  if (kind === "stdin") return runCli(["listen", ...args, "-"], { stdin: capture });
  return runCli(["listen", ...args, paths[kind]!]);
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map(
      (line) =>
        JSON.parse(line) as { time: string | null; event: string; id: string; data: unknown },
    );

interface ViewCase {
  name: string;
  args: string[];
  code: number;
  check: (result: CliResult, kind: Kind) => void;
}

const views: ViewCase[] = [
  {
    name: "pretty",
    args: [],
    code: 0,
    check: ({ stdout, stderr }) => {
      expect(stdout).toMatch(/ready id=1 \{"a": 1\}/);
      expect(stdout).toMatch(/message id=2 two/);
      expect(stdout).toMatch(/done id=3 bye/);
      expect(stdout).not.toContain("cut off");
      expect(stdout).not.toContain("\uFEFF");
      expect(stderr).toMatch(/3 events/);
    },
  },
  {
    name: "--json",
    args: ["--json"],
    code: 0,
    check: ({ stdout }, kind) => {
      const lines = jsonLines(stdout);
      expect(lines.map((line) => [line.event, line.id, line.data])).toEqual([
        ["ready", "1", '{"a":1}'],
        ["message", "2", "two"],
        ["done", "3", "bye"],
      ]);
      const times = lines.map((line) => line.time);
      if (kind === "recording") {
        expect(times).toEqual([
          "2026-01-02T03:04:05.010Z",
          "2026-01-02T03:04:05.110Z",
          "2026-01-02T03:04:05.310Z",
        ]);
      } else if (kind === "file") expect(times).toEqual([null, null, null]);
      else for (const time of times) expect(time).toMatch(/^\d{4}-\d\d-\d\dT/);
    },
  },
  {
    name: "--json-data",
    args: ["--json-data"],
    code: 0,
    check: ({ stdout }) => expect(jsonLines(stdout)[0]?.data).toEqual({ a: 1 }),
  },
  {
    name: "--raw",
    args: ["--raw"],
    code: 0,
    check: ({ stdoutBytes, stderr }, kind) => {
      expect(stdoutBytes.toString("utf8")).toBe(capture);
      if (kind === "recording") expect(stderr).not.toContain("back unchanged");
      else expect(stderr).toContain("back unchanged");
    },
  },
  {
    name: "--stats",
    args: ["--stats"],
    code: 0,
    check: ({ stderr }, kind) => {
      expect(stderr).toMatch(/stats: 3 events/);
      if (kind === "file") {
        expect(stderr).toContain("no times in the input");
        expect(stderr).not.toContain("inter-arrival");
      }
      if (kind === "recording") expect(stderr).toMatch(/inter-arrival p50 (100|200) ms/);
    },
  },
  {
    name: "-e",
    args: ["--json", "-e", "done"],
    code: 0,
    check: ({ stdout }) => expect(jsonLines(stdout).map((line) => line.event)).toEqual(["done"]),
  },
  {
    name: "-n",
    args: ["--json", "-n", "2"],
    code: 0,
    check: ({ stdout }) => expect(jsonLines(stdout).map((line) => line.id)).toEqual(["1", "2"]),
  },
  {
    name: "--until-event",
    args: ["--json", "--until-event", "message"],
    code: 0,
    check: ({ stdout }) => expect(jsonLines(stdout).map((line) => line.id)).toEqual(["1", "2"]),
  },
  {
    name: "--expect-event met",
    args: ["--expect-event", "done", "--expect-count", "3"],
    code: 0,
    check: () => {},
  },
  {
    name: "--expect-event not met",
    args: ["--expect-event", "never"],
    code: 4,
    check: ({ stderr }) => expect(stderr).toContain("never"),
  },
  {
    name: "--time relative",
    args: ["--time", "relative"],
    code: 0,
    check: ({ stdout }, kind) => {
      if (kind === "recording") {
        expect(stdout).toMatch(/\+0\.010s ready/);
        expect(stdout).toMatch(/\+0\.310s done/);
      } else if (kind === "file") expect(stdout).toMatch(/^ready id=1/m);
      else expect(stdout).toMatch(/\+\d+\.\d{3}s ready/);
    },
  },
];

describe("listen reads a capture", () => {
  for (const kind of kinds) {
    describe(kind, () => {
      for (const view of views) {
        it(view.name, async () => {
          const result = await run(kind, view.args);
          expect(result.code, result.stderr).toBe(view.code);
          view.check(result, kind);
        });
      }
    });
  }
});

const llmCapture =
  'data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\n' +
  "data: [DONE]\n\n";

describe("listen --llm reads a capture", () => {
  it.each(kinds)("%s: the reply, with timings only when the input has times", async (kind) => {
    const file = join(dir, `llm-${kind}`);
    await writeFile(
      file,
      kind === "recording" ? recordingOf(llmCapture, [100, 350, 400]) : llmCapture,
    );
    const result =
      kind === "stdin"
        ? await runCli(["listen", "--llm", "-"], { stdin: llmCapture })
        : await runCli(["listen", "--llm", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Hello");
    if (kind === "file") {
      expect(result.stderr).toContain("no timings");
      expect(result.stderr).not.toContain("first token");
    } else expect(result.stderr).not.toContain("no timings");
    // The recording's own times: the first token 100 ms after the request, 400 ms in all.
    if (kind === "recording") expect(result.stderr).toMatch(/first token 100 ms · total 400 ms/);
  });

  it("--json leaves the timings out when a file holds no times", async () => {
    const file = join(dir, "llm.sse");
    await writeFile(file, llmCapture);
    const result = await runCli(["listen", "--llm", "--json", file]);
    const summary = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(summary.text).toBe("Hello");
    expect(summary).not.toHaveProperty("timings");
  });
});

describe("events held while deciding whether a stream is an LLM stream", () => {
  it("keep their own recorded times when shown", async () => {
    const result = await runCli(["listen", "--time", "relative", "examples/stream.jsonl"]);
    expect(result.code, result.stderr).toBe(0);
    // Held while undecided (the first five), then shown with the times they were received.
    expect(result.stdout).toMatch(/\+0\.173s ready id=1/);
    expect(result.stdout).toMatch(/\+0\.341s update id=2/);
  });
});

describe("a recording with a reconnect", () => {
  it("is decoded as the client saw it: the dropped connection's unfinished block discarded, the last event ID carried", async () => {
    const lines = [
      { type: "recording", version: 1, started, tool: "sse-tool" },
      { type: "request", t: 0, method: "GET", url: "http://h/e", headers: {} },
      { type: "response", t: 1, status: 200, statusText: "OK", url: "http://h/e", headers: {} },
      { type: "chunk", t: 2, text: "id: 7\ndata: a\n\ndata: unfinished" },
      { type: "disconnect", t: 3, reason: "dropped", detail: "other side closed" },
      {
        type: "request",
        t: 3003,
        method: "GET",
        url: "http://h/e",
        headers: { "last-event-id": "7" },
      },
      { type: "response", t: 3004, status: 200, statusText: "OK", url: "http://h/e", headers: {} },
      { type: "chunk", t: 3005, text: "\ndata: b\n\n" },
      { type: "disconnect", t: 3006, reason: "ended" },
    ];
    const file = join(dir, "reconnect.jsonl");
    await writeFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
    const result = await runCli(["listen", "--json", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout).map((line) => [line.id, line.data])).toEqual([
      ["7", "a"],
      ["7", "b"],
    ]);
    expect(result.stderr).toContain("1 reconnect");
  });
});

describe("what listen refuses or cannot read", () => {
  it.each([
    [["-H", "X: 1", "-"], "-H needs a URL"],
    [["--no-reconnect", "-"], "--no-reconnect needs a URL"],
    [["--record", "out.jsonl", "-"], "--record needs a URL"],
    [["--retry", "5s", "--last-event-id", "3", "-"], "--retry, --last-event-id need a URL"],
    [["-", "http://127.0.0.1:1/events"], "read alone"],
  ])("%j: a usage error (exit 2)", async (args, message) => {
    const result = await runCli(["listen", ...args], { stdin: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("-i shows a recording's response head, and is a usage error for a raw stream", async () => {
    const recorded = await runCli(["listen", "-i", "-n", "1", paths.recording!]);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stderr).toContain("< HTTP 200 OK");
    const raw = await runCli(["listen", "-i", paths.file!]);
    expect(raw.code).toBe(2);
    expect(raw.stderr).toContain("-i shows the response head");
  });

  it("an unreadable file is an input error (exit 1) on one line", async () => {
    const missing = await runCli(["listen", join(dir, "missing.sse")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^sse-tool: cannot read .*missing\.sse: ENOENT$/);
    const folder = await runCli(["listen", `${dir}/`]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("EISDIR");
  });

  it("a name that is neither a file nor a URL keeps the URL error (a typo'd host is not a file)", async () => {
    const result = await runCli([
      "listen",
      "--connect-timeout",
      "2s",
      "--no-reconnect",
      "nosuchhost.invalid/events",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain("cannot read");
    expect(result.stderr).toContain("nosuchhost.invalid");
  });

  it("a recording with a bad line names it", async () => {
    const file = join(dir, "bad.jsonl");
    const good = recordingOf("data: x\n\n").split("\n");
    await writeFile(file, [good[0], good[1], "{not json", good[2], ""].join("\n"));
    const result = await runCli(["listen", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.jsonl:3: not a JSON line/);
  });
});
