/**
 * `listen()` called in-process (as `demo` does) with its streams handed in: here stdout claims
 * to be a terminal, which a spawned process cannot, to check what a terminal user sees.
 */
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListenIo, listen, listenDefaults } from "../../src/commands/listen.js";
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

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
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
});
