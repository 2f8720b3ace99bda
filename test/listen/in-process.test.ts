/**
 * `listen()` called in-process (as `demo` does) with its streams handed in: here stdout claims
 * to be a terminal, which a spawned process cannot, to check what a terminal user sees.
 */
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenDefaults } from "../../src/listen/cli.js";
import { listen } from "../../src/listen/command.js";
import type { ListenIo } from "../../src/listen/io.js";
import { createFlood, floodBlockedFor } from "../helpers/flood-route.js";
import { sendChunks, startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { endlessCounter } from "../helpers/sse-routes.js";

class Capture extends Writable {
  text = "";
  isTTY: boolean;
  columns = 80;
  constructor(isTTY: boolean) {
    super();
    this.isTTY = isTTY;
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString("utf8");
    this.emit("captured");
    callback();
  }
}

function captureIo(isTTY: boolean, signal?: AbortSignal) {
  const stdout = new Capture(isTTY);
  const stderr = new Capture(false);
  const io: ListenIo = { stdout, stderr, stdin: new PassThrough(), env: {}, signal };
  return { io, stdout, stderr };
}

/** A stdout whose writes complete only when released: a reader that stopped reading. */
class StalledStdout extends Writable {
  text = "";
  #held: Array<() => void> = [];
  #stalled = true;
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString("utf8");
    this.emit("captured");
    if (this.#stalled) this.#held.push(callback);
    else callback();
  }
  release(): void {
    this.#stalled = false;
    for (const callback of this.#held.splice(0)) callback();
  }
}

/** Server side of the back-pressure test: 64 MB of events, sent only as fast as read. */
const flood = createFlood();

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    "/flood": flood.route,
    "/two": sendChunks(['event: update\ndata: {"a":1}\n\ndata: plain\n\n']),
    "/endless": endlessCounter(5),
  });
});
afterAll(() => server.close());

describe("listen in-process", () => {
  it("on a terminal: colour on, and stderr says where it connected", async () => {
    const { io, stdout, stderr } = captureIo(true);
    const code = await listen(`${server.url}/two`, { ...listenDefaults, reconnect: false }, io);
    expect(code).toBe(0);
    expect(stdout.text).toMatch(/\x1b\[\d+m/);
    expect(stdout.text.replace(/\x1b\[\d+(;\d+)*m/g, "")).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} update \{"a": 1\}\n\d\d:\d\d:\d\d\.\d{3} message plain\n$/,
    );
    expect(stderr.text).toMatch(
      new RegExp(`^sse-tool: connected to ${server.url}/two\\nsse-tool: stream ended: 2 events`),
    );
  });

  it("a stdout that stops reading pauses the response body: memory and reads stay bounded", async () => {
    const controller = new AbortController();
    const stdout = new StalledStdout();
    const stderr = new Capture(false);
    const io: ListenIo = { stdout, stderr, env: {}, signal: controller.signal };
    const running = listen(`${server.url}/flood`, { ...listenDefaults, json: true }, io);
    await new Promise((resolve) => stdout.once("captured", resolve));
    // Proving that reading stopped needs a stretch of time with no progress: the server must
    // stay blocked (no "drain") for 300 ms while stdout holds its first write.
    await floodBlockedFor(flood, 300);
    expect(flood.sentBytes).toBeLessThan(16 * 1024 ** 2);
    stdout.release();
    controller.abort();
    expect(await running).toBe(130);
    const read = /interrupted: \d+ events, ([\d.]+) (B|KiB|MiB)/.exec(stderr.text);
    expect(read, stderr.text).not.toBeNull();
    expect(read?.[2] === "MiB" ? Number(read[1]) : 0).toBeLessThan(16);
  });

  it("the abort signal stops it like Ctrl-C: summary, exit code 130", async () => {
    const controller = new AbortController();
    const { io, stdout, stderr } = captureIo(false, controller.signal);
    const running = listen(`${server.url}/endless`, listenDefaults, io);
    while (!stdout.text.includes("event 3"))
      await new Promise((resolve) => stdout.once("captured", resolve));
    controller.abort();
    expect(await running).toBe(130);
    expect(stderr.text).toMatch(/^sse-tool: interrupted: \d+ events, /);
  });

  it("the caller's abort reason carries no meaning: any abort is an interrupt (exit 130)", async () => {
    const controller = new AbortController();
    const { io, stdout, stderr } = captureIo(false, controller.signal);
    const running = listen(`${server.url}/endless`, { ...listenDefaults, maxEvents: 100 }, io);
    while (!stdout.text.includes("event 2"))
      await new Promise((resolve) => stdout.once("captured", resolve));
    controller.abort("max-events");
    expect(await running).toBe(130);
    expect(stderr.text).toMatch(/^sse-tool: interrupted: \d+ events, /);
  });
});
