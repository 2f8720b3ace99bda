/**
 * `serve --replay <file>` of what `listen --record` recorded from a real origin, both built
 * binaries spawned as a user runs them: `curl -N` gets from the replay exactly the bytes it got
 * from the origin; the chunk boundaries and gaps come back at --speed 1 (within 20 %), scaled
 * by --speed; each client gets its own replay from the start; Last-Event-ID resumes after that
 * id; --loop repeats; a recorded drop is replayed as a drop; bad files are told clearly.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, startCli } from "../../helpers/cli-process.js";
import { rawRequest } from "../../helpers/raw-http.js";
import { readmeCommands } from "../../helpers/readme-examples.js";
import { readRecording, recordedBody } from "../../helpers/recordings.js";
import { connectSse, startServeFor } from "../../helpers/sse-client.js";
import { type ScriptedResponse, startTimedOrigin } from "../../helpers/timed-origin.js";

const cleanups: Array<() => Promise<unknown>> = [];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sse-tool-replay-"));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** Records `scripts` with `listen --record` (extra listen args as given); returns the file. */
async function record(scripts: ScriptedResponse[], listenArgs: string[] = ["--no-reconnect"]) {
  const origin = await startTimedOrigin(scripts);
  cleanups.push(() => origin.close());
  const file = join(dir, `recording-${cleanups.length}.jsonl`);
  const result = await runCli([
    "listen",
    "--json",
    ...listenArgs,
    "--record",
    file,
    origin.streamUrl,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return { file, origin };
}

/** `curl -sN` of a URL: the body bytes, and the header block with -D. */
async function curl(url: string, args: string[] = []): Promise<{ body: Buffer; code: number }> {
  const child = spawn("curl", ["-sN", "--max-time", "20", ...args, url]);
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const [code] = await once(child, "close");
  return { body: Buffer.concat(chunks), code: code as number };
}

/** Each read of a response body, with when it arrived (performance.now()). */
async function readsOf(
  url: string,
  headers: Record<string, string> = {},
  stopAfterBytes = Number.POSITIVE_INFINITY,
): Promise<Array<{ atMs: number; bytes: Buffer }>> {
  return new Promise((resolve, reject) => {
    const reads: Array<{ atMs: number; bytes: Buffer }> = [];
    let total = 0;
    const req = request(url, { headers }, (response) => {
      response.on("data", (bytes: Buffer) => {
        reads.push({ atMs: performance.now(), bytes });
        total += bytes.length;
        if (total >= stopAfterBytes) {
          req.destroy();
          resolve(reads);
        }
      });
      response.on("end", () => resolve(reads));
      response.on("error", () => resolve(reads));
      response.on("close", () => resolve(reads));
    });
    req.on("error", reject);
    req.end();
  });
}

const gapsOf = (times: number[]) => times.slice(1).map((time, index) => time - times[index]!);

/**
 * How far a replay's timing strays from the recording: each read's arrival minus its recorded
 * time (divided by the speed); the spread of those offsets is 0 for a perfect replay. One late
 * read (a busy machine) raises it by its lateness; a wrong pace by the drift over the whole
 * recording.
 */
function timingSpread(arrivals: number[], recordedTimes: number[], speed: number): number {
  const offsets = arrivals.map((atMs, index) => atMs - recordedTimes[index]! / speed);
  return Math.max(...offsets) - Math.min(...offsets);
}

/** A stream with the awkward parts: a BOM, CRLF, a character cut across chunks, 300 ms gaps. */
const awkward: ScriptedResponse = {
  headers: { "x-custom": "kept", "cache-control": "no-cache" },
  chunks: [
    { afterMs: 0, bytes: "\uFEFFid: 1\r\ndata: Grüße\r\n\r\n" },
    { afterMs: 300, bytes: Buffer.from("data: 👋\n\n").subarray(0, 8) },
    { afterMs: 300, bytes: Buffer.from("data: 👋\n\n").subarray(8) },
    { afterMs: 300, bytes: "id: 2\ndata: line one\ndata: line two\n\n: a comment\n\n" },
    { afterMs: 300, bytes: "id: 3\ndata: last\n\n" },
  ],
  end: "end",
};

describe("serve --replay", () => {
  let awkwardFile: string;
  let originBytes: Buffer;
  let recordedChunkTimes: number[];

  beforeAll(async () => {
    const scratch = await mkdtemp(join(tmpdir(), "sse-tool-replay-shared-"));
    const origin = await startTimedOrigin([awkward]);
    try {
      originBytes = (await curl(origin.streamUrl)).body;
      awkwardFile = join(scratch, "awkward.jsonl");
      const result = await runCli([
        "listen",
        "--json",
        "--no-reconnect",
        "--record",
        awkwardFile,
        origin.streamUrl,
      ]);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      await origin.close();
    }
    recordedChunkTimes = (await readRecording(awkwardFile)).flatMap((entry) =>
      entry.type === "chunk" ? [entry.t] : [],
    );
    return () => rm(scratch, { recursive: true, force: true });
  });

  it("gives curl -N exactly the bytes curl -N got from the original, with its headers", async () => {
    const served = await startServeFor(cleanups, ["--replay", awkwardFile]);
    const replayed = await curl(served.url);
    expect(replayed.code).toBe(0);
    expect(replayed.body.equals(originBytes)).toBe(true);
    expect(originBytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const head = await rawRequest(
      served.origin,
      "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({
      "content-type": "text/event-stream",
      "x-custom": "kept",
      "cache-control": "no-cache",
    });
    expect(head.headers["content-length"]).toBeUndefined();
    await served.cli.waitForStderr("connected (replay from the start)");
  });

  it("keeps the recorded chunk boundaries and gaps at --speed 1, within 20 %", async () => {
    const served = await startServeFor(cleanups, ["--replay", awkwardFile]);
    const reads = await readsOf(served.url);
    expect(reads.map((read) => read.bytes.length)).toEqual(
      awkward.chunks.map((chunk) => Buffer.from(chunk.bytes).length),
    );
    const arrivals = reads.map((read) => read.atMs);
    const recordedTotal = recordedChunkTimes.at(-1)! - recordedChunkTimes[0]!;
    // Every read within 20 % of the recording's length of its recorded time (room for a loaded
    // machine; at the wrong speed the reads drift by half the recording or more).
    expect(timingSpread(arrivals, recordedChunkTimes, 1)).toBeLessThanOrEqual(recordedTotal * 0.2);
    // Each gap (about 300 ms) nowhere near half or double.
    const recorded = gapsOf(recordedChunkTimes);
    for (const [index, gap] of gapsOf(arrivals).entries()) {
      const what = `gap ${index}: recorded ${recorded[index]} ms`;
      expect(gap, what).toBeGreaterThan(recorded[index]! * 0.6);
      expect(gap, what).toBeLessThan(recorded[index]! * 1.6);
    }
  });

  it("scales the gaps with --speed 2, and does not wait with --speed max", async () => {
    const recordedTotal = recordedChunkTimes.at(-1)! - recordedChunkTimes[0]!;
    const double = await startServeFor(cleanups, ["--replay", awkwardFile, "--speed", "2"]);
    const reads = await readsOf(double.url);
    const arrivals = reads.map((read) => read.atMs);
    // Twice as fast: unscaled, the reads would drift by half the recording (600 ms).
    expect(timingSpread(arrivals, recordedChunkTimes, 2)).toBeLessThanOrEqual(recordedTotal * 0.2);
    const max = await startServeFor(cleanups, ["--replay", awkwardFile, "--speed", "max"]);
    const started = performance.now();
    const fast = await readsOf(max.url);
    expect(Buffer.concat(fast.map((read) => read.bytes)).equals(originBytes)).toBe(true);
    // Not waited out: at speed 1 the reads would take the whole recording (room left for a
    // loaded machine).
    expect(performance.now() - started).toBeLessThan(recordedTotal * 0.75);
  });

  it("gives each client its own replay from the start", async () => {
    const served = await startServeFor(cleanups, ["--replay", awkwardFile, "--speed", "4"]);
    const first = await connectSse(served.url);
    await first.waitForEvents(1);
    const second = await connectSse(served.url);
    await Promise.all([first.closed, second.closed]);
    expect(first.body().equals(originBytes)).toBe(true);
    expect(second.body().equals(originBytes)).toBe(true);
    expect(second.events.map((event) => event.data)).toEqual([
      "Grüße",
      "👋",
      "line one\nline two",
      "last",
    ]);
  });

  it("resumes a client that sends Last-Event-ID right after the block with that id", async () => {
    const served = await startServeFor(cleanups, ["--replay", awkwardFile, "--speed", "max"]);
    const resumed = await connectSse(served.url, { "Last-Event-ID": "2" });
    await resumed.closed;
    // What follows id 2's block, the comment after it included.
    expect(resumed.body().toString()).toBe(": a comment\n\nid: 3\ndata: last\n\n");
    const unknown = await connectSse(served.url, { "Last-Event-ID": "nope" });
    await unknown.closed;
    expect(unknown.body().equals(originBytes)).toBe(true);
    await served.cli.waitForStderr('(Last-Event-ID "2": replay goes on after it)');
    await served.cli.waitForStderr(
      '(Last-Event-ID "nope" not in the recording: replay from the start)',
    );
  });

  it("plays the recording again with --loop", async () => {
    const served = await startServeFor(cleanups, [
      "--replay",
      awkwardFile,
      "--speed",
      "max",
      "--loop",
    ]);
    const reads = await readsOf(served.url, {}, originBytes.length * 3);
    const body = Buffer.concat(reads.map((read) => read.bytes));
    expect(body.subarray(0, originBytes.length * 3)).toEqual(
      Buffer.concat([originBytes, originBytes, originBytes]),
    );
  });

  it("replays a recorded drop as a drop; listen then resumes and sees each event once", async () => {
    const { file } = await record(
      [
        {
          chunks: [{ afterMs: 0, bytes: "retry: 50\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n" }],
          end: "drop",
        },
        { chunks: [{ afterMs: 0, bytes: "id: 3\ndata: c\n\nid: 4\ndata: d\n\n" }], end: "open" },
      ],
      ["-n", "4", "--retry", "50"],
    );
    const served = await startServeFor(cleanups, ["--replay", file]);
    const result = await runCli(["listen", "--json", "-n", "4", served.url]);
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; data: string });
    expect(events.map((event) => [event.id, event.data])).toEqual([
      ["1", "a"],
      ["2", "b"],
      ["3", "c"],
      ["4", "d"],
    ]);
    expect(result.stderr).toMatch(/reconnecting in/);
    await served.cli.waitForStderr('(Last-Event-ID "2": replay goes on after it)');
  });

  it("ends a response cleanly so a client's next request can use the same connection", async () => {
    const { file } = await record(
      [
        { chunks: [{ afterMs: 0, bytes: "retry: 50\nid: 1\ndata: a\n\n" }], end: "end" },
        { chunks: [{ afterMs: 0, bytes: "id: 2\ndata: b\n\n" }], end: "open" },
      ],
      ["-n", "2", "--retry", "50"],
    );
    const served = await startServeFor(cleanups, ["--replay", file]);
    // listen's HTTP client keeps the connection alive and sends the reconnection on it.
    const result = await runCli(["listen", "--json", "-n", "2", served.url], {
      killAfterMs: 10_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).data),
    ).toEqual(["a", "b"]);
    await served.cli.waitForStderr(/connected[\s\S]*connected/);
    const ports = [...served.cli.stderr.matchAll(/client 127\.0\.0\.1:(\d+) connected/g)].map(
      (match) => match[1],
    );
    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);
  });

  it("answers with the recorded error status, and keeps serve's access rules", async () => {
    const { file } = await record([
      {
        headers: { "access-control-allow-origin": "*" },
        chunks: [{ afterMs: 0, bytes: "data: x\n\n" }],
        end: "end",
      },
    ]);
    const served = await startServeFor(cleanups, ["--replay", file]);
    const evilHost = await rawRequest(
      served.origin,
      "GET /events HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    expect(evilHost.status).toBe(403);
    const otherOrigin = await rawRequest(
      served.origin,
      "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n",
    );
    expect(otherOrigin.status).toBe(403);
    const loopbackPage = await rawRequest(
      served.origin,
      "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\nConnection: close\r\n\r\n",
    );
    expect(loopbackPage.status).toBe(200);
    expect(loopbackPage.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    const plain = await rawRequest(
      served.origin,
      "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    // The original's `*` is not replayed: who may read is this server's decision.
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();
    // Nothing is published into a replay.
    const post = await rawRequest(
      served.origin,
      "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
    );
    expect(post.status).toBe(405);
  });
});

describe("the README's record and replay example", () => {
  it("records until Ctrl-C, replays it from the start to curl -N, and again faster in a loop", async () => {
    const [recordArgs, replayArgs, fasterArgs] = readmeCommands("record-replay");
    expect(recordArgs?.[0]).toBe("listen");
    const events = Array.from({ length: 40 }, (_, index) => ({
      afterMs: 30,
      bytes: `id: ${index + 1}\ndata: update ${index + 1}\n\n`,
    }));
    const origin = await startTimedOrigin([{ chunks: events, end: "open" }]);
    cleanups.push(() => origin.close());
    const file = join(dir, "stream.jsonl");
    const withPaths = (args: string[]) =>
      args.map((arg) =>
        arg === "stream.jsonl"
          ? file
          : arg === "https://example.com/events"
            ? origin.streamUrl
            : arg,
      );
    const recorder = startCli(withPaths(recordArgs!));
    await recorder.waitForStdout("update 5");
    recorder.kill("SIGINT");
    expect((await recorder.exited).code).toBe(130);
    const recorded = recordedBody(await readRecording(file));
    expect(recorded.toString()).toMatch(
      /^id: 1\ndata: update 1\n\n(id: \d+\ndata: update \d+\n\n)+$/,
    );

    const replay = await startServeFor(cleanups, withPaths(replayArgs!).slice(1));
    // The recording client stopped while the stream was open: so does the replay.
    const once = await readsOf(replay.url, {}, recorded.length);
    expect(Buffer.concat(once.map((read) => read.bytes)).equals(recorded)).toBe(true);

    const faster = await startServeFor(cleanups, withPaths(fasterArgs!).slice(1));
    expect(fasterArgs).toEqual(expect.arrayContaining(["--speed", "10", "--loop"]));
    const looped = await readsOf(faster.url, {}, recorded.length * 2);
    expect(
      Buffer.concat(looped.map((read) => read.bytes)).subarray(0, recorded.length * 2),
    ).toEqual(Buffer.concat([recorded, recorded]));
  });
});

describe("serve --replay with a bad file or options", () => {
  const header = '{"type":"recording","version":1,"started":"x"}';
  const good = [
    header,
    '{"type":"request","t":0,"method":"GET","url":"http://x/","headers":{}}',
    '{"type":"response","t":1,"status":200,"statusText":"OK","url":"http://x/","headers":{"content-type":"text/event-stream"}}',
    '{"type":"chunk","t":2,"text":"data: one\\n\\n"}',
  ];

  it.each([
    ["not a recording", ["id,data", "1,x"], /: not a JSON line\n/],
    [
      "a newer version",
      ['{"type":"recording","version":2}'],
      /recording format version 2; this sse-tool reads version 1/,
    ],
    [
      "a bad line in the middle",
      [...good.slice(0, 2), "{nope", ...good.slice(2)],
      /:3: not a JSON line/,
    ],
    ["no response", [header], /holds no response to replay/],
  ])("%s: exit 1 with the reason", async (_name, lines, message) => {
    const file = join(dir, "bad.jsonl");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await runCli(["serve", "--port", "0", "--replay", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain("    at ");
  });

  it("replays a recording whose last line was cut short, with a warning", async () => {
    const file = join(dir, "cut.jsonl");
    await writeFile(file, `${good.join("\n")}\n{"type":"chunk","t":3,"te`);
    const served = await startServeFor(cleanups, ["--replay", file, "--speed", "max"]);
    expect(served.cli.stderr).toContain(
      "cut.jsonl:5: not a JSON line; replaying what comes before it",
    );
    const client = await connectSse(served.url);
    await client.waitForEvents(1);
    expect(client.events[0]?.data).toBe("one");
  });

  it.each([
    [
      ["--replay", "FILE", "input.txt"],
      "--replay plays a recording as it was recorded; it takes no an input file",
    ],
    [["--replay", "FILE", "--retry", "100"], "--retry adds bytes to the stream"],
    [["--speed", "2"], "--speed applies to --replay"],
    [["--replay", "FILE", "--speed", "0"], "--speed"],
    [["--replay", "FILE", "--speed", "fast"], "--speed"],
  ])("serve %j is a usage error (exit 2)", async (args, message) => {
    const file = join(dir, "ok.jsonl");
    await writeFile(file, `${good.join("\n")}\n`);
    const result = await runCli([
      "serve",
      "--port",
      "0",
      ...args.map((arg) => (arg === "FILE" ? file : arg)),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("refuses a recording too large to hold in memory (exit 1), without reading it", async () => {
    const file = join(dir, "huge.jsonl");
    await writeFile(file, "");
    await truncate(file, 1024 ** 3 + 1); // sparse: no disk used
    const result = await runCli(["serve", "--port", "0", "--replay", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /huge\.jsonl: 1\.00 GiB; a replay holds its recording in memory, up to 1\.00 GiB/,
    );
  });

  it("names a file that cannot be read (exit 1)", async () => {
    const result = await runCli(["serve", "--port", "0", "--replay", join(dir, "missing.jsonl")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*missing\.jsonl: ENOENT/);
  });

  it("a recording is what listen --record wrote: its body bytes are the origin's", async () => {
    const { file } = await record([{ chunks: [{ afterMs: 0, bytes: "data: z\n\n" }], end: "end" }]);
    expect(recordedBody(await readRecording(file)).toString()).toBe("data: z\n\n");
    expect((await readFile(file, "utf8")).split("\n")[0]).toContain('"version":1');
  });
});
