/**
 * `listen --record <file>` against real origin servers, the built binary spawned as a user runs
 * it: the recording holds the request without its secrets, each response head, every chunk as
 * received with its time, and each disconnect and reconnection; it is written as it goes, so
 * Ctrl-C (and even SIGKILL) leaves everything received in the file.
 */
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecordingEntry } from "../../src/recording/format.js";
import { runCli, startCli } from "../helpers/cli-process.js";
import { readRecording, recordedBody } from "../helpers/recordings.js";
import { startTimedOrigin, type TimedOrigin } from "../helpers/timed-origin.js";

let dir: string;
let origin: TimedOrigin | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sse-tool-record-"));
});

afterEach(async () => {
  await origin?.close();
  origin = undefined;
  await rm(dir, { recursive: true, force: true });
});

const types = (entries: RecordingEntry[]) => entries.map((entry) => entry.type);

describe("listen --record", () => {
  it("writes the request without secrets, the head, each chunk as received, and the end", async () => {
    const wave = Buffer.from("data: 👋\n\n");
    origin = await startTimedOrigin([
      {
        headers: { "x-trace": "t-1", "set-cookie": "session=abc" },
        chunks: [
          { afterMs: 0, bytes: "id: 1\ndata: hello\n\n" },
          { afterMs: 200, bytes: wave.subarray(0, 8) },
          { afterMs: 200, bytes: wave.subarray(8) },
        ],
        end: "end",
      },
    ]);
    const file = join(dir, "stream.jsonl");
    const url = origin.streamUrl.replace("http://", "http://ann:pw@");
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      "--record",
      file,
      "-H",
      "Authorization: Bearer sk-live-123",
      "-H",
      "x-goog-api-key: AIza-secret",
      `${url}?token=s3cret`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(file, "utf8");
    expect(text).not.toMatch(/sk-live-123|AIza-secret|s3cret|pw@|session=abc/);
    const entries = await readRecording(file);
    expect(types(entries)).toEqual([
      "recording",
      "request",
      "response",
      "chunk",
      "chunk",
      "chunk",
      "disconnect",
    ]);
    expect(entries[1]).toMatchObject({
      t: 0,
      method: "GET",
      url: `${origin.streamUrl}?token=[redacted]`,
      headers: {
        accept: "text/event-stream",
        authorization: "[redacted]",
        "x-goog-api-key": "[redacted]",
      },
    });
    expect(entries[2]).toMatchObject({
      status: 200,
      statusText: "OK",
      headers: {
        "content-type": "text/event-stream",
        "x-trace": "t-1",
        "set-cookie": "[redacted]",
      },
    });
    expect(recordedBody(entries).toString()).toBe("id: 1\ndata: hello\n\ndata: 👋\n\n");
    // The chunk cut inside the emoji is not UTF-8 on its own: it is kept as base64.
    const rawLines = text.trim().split("\n");
    expect(JSON.parse(rawLines[4]!)).toHaveProperty("base64");
    const times = entries.map((entry) => ("t" in entry ? entry.t : 0));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const chunkTimes = entries.flatMap((entry) => (entry.type === "chunk" ? [entry.t] : []));
    expect(chunkTimes[1]! - chunkTimes[0]!).toBeGreaterThanOrEqual(180);
    expect(entries[6]).toMatchObject({ type: "disconnect", reason: "ended" });
    // The file is the owner's alone: it holds the stream's data.
    expect((await import("node:fs")).statSync(file).mode & 0o077).toBe(0);
  });

  it("records a dropped connection and the reconnection with its Last-Event-ID", async () => {
    origin = await startTimedOrigin([
      {
        chunks: [{ afterMs: 0, bytes: "id: 1\ndata: a\n\nid: 2\ndata: b\n\n" }],
        end: "drop",
      },
      { chunks: [{ afterMs: 0, bytes: "id: 3\ndata: c\n\n" }], end: "open" },
    ]);
    const file = join(dir, "drops.jsonl");
    const result = await runCli([
      "listen",
      "--json",
      "-n",
      "3",
      "--retry",
      "50",
      "--record",
      file,
      origin.streamUrl,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const entries = await readRecording(file);
    expect(types(entries)).toEqual([
      "recording",
      "request",
      "response",
      "chunk",
      "disconnect",
      "request",
      "response",
      "chunk",
      "disconnect",
    ]);
    expect(entries[4]).toMatchObject({ type: "disconnect", reason: "dropped" });
    expect(entries[5]).toMatchObject({ headers: { "last-event-id": "2" } });
    // -n 3 stopped the listener while the stream was open.
    expect(entries[8]).toMatchObject({ type: "disconnect", reason: "stopped" });
  });

  it.each([
    ["SIGINT", 130],
    ["SIGKILL", null],
  ] as const)("keeps everything received when stopped by %s", async (signal, code) => {
    const events = Array.from({ length: 200 }, (_, index) => ({
      afterMs: 20,
      bytes: `id: ${index + 1}\ndata: event ${index + 1}\n\n`,
    }));
    origin = await startTimedOrigin([{ chunks: events, end: "open" }]);
    const file = join(dir, "stopped.jsonl");
    const listener = startCli(["listen", "--json", "--record", file, origin.streamUrl]);
    await listener.waitForStdout(/"id":"5"/);
    listener.kill(signal);
    const result = await listener.exited;
    expect(result.code).toBe(code);
    const shown = result.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const recorded = recordedBody(await readRecording(file)).toString();
    for (const id of shown) expect(recorded).toContain(`id: ${id}\ndata: event ${id}\n\n`);
    if (signal === "SIGINT") {
      const entries = await readRecording(file);
      expect(entries.at(-1)).toMatchObject({ type: "disconnect", reason: "stopped" });
    }
  });

  it("takes one URL (exit 2), and an unwritable file is an error before any request (exit 1)", async () => {
    origin = await startTimedOrigin([{ chunks: [], end: "end" }]);
    const file = join(dir, "two.jsonl");
    const two = await runCli(["listen", "--record", file, origin.streamUrl, origin.streamUrl]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("--record writes one connection's recording; give it one URL");
    await expect(access(file)).rejects.toThrow();

    const missing = await runCli([
      "listen",
      "--record",
      join(dir, "no-such-dir", "x.jsonl"),
      origin.streamUrl,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^sse-tool: cannot write the recording .*x\.jsonl: ENOENT\n$/);
    expect(origin.requestHeaders).toHaveLength(0);
  });
});
