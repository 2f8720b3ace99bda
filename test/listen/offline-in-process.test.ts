/**
 * `listen("-")` called in-process with its stdin handed in: a caller's stream is read as a
 * pipe (arrival times), and the caller's abort signal stops it as Ctrl-C does, as for a URL.
 */
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { listenDefaults } from "../../src/listen/cli.js";
import { listen } from "../../src/listen/command.js";
import type { ListenIo } from "../../src/listen/io.js";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString("utf8");
    this.emit("captured");
    callback();
  }
}

function io(stdin: PassThrough, signal?: AbortSignal) {
  const stdout = new Capture();
  const stderr = new Capture();
  const streams: ListenIo = { stdout, stderr, stdin, env: {}, signal };
  return { streams, stdout, stderr };
}

const until = (capture: Capture, text: string) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (!capture.text.includes(text)) return;
      capture.off("captured", check);
      resolve();
    };
    capture.on("captured", check);
    check();
  });

describe("listen('-') in-process", () => {
  it("shows each event as the caller's stream delivers it; its end is the stream's end", async () => {
    const stdin = new PassThrough();
    const { streams, stdout, stderr } = io(stdin);
    const run = listen("-", { ...listenDefaults, json: true }, streams);
    stdin.write("id: 1\ndata: one\n\n");
    await until(stdout, '"data":"one"');
    expect(stdout.text).not.toContain("two");
    stdin.end("id: 2\ndata: two\n\n");
    expect(await run).toBe(0);
    const times = stdout.text
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { time: string }).time);
    for (const time of times) expect(time).toMatch(/^\d{4}-/);
    expect(stderr.text).toContain("2 events");
  });

  it("the caller's abort signal stops it as Ctrl-C does (exit 130)", async () => {
    const stdin = new PassThrough();
    const controller = new AbortController();
    const { streams, stdout } = io(stdin, controller.signal);
    const run = listen("-", listenDefaults, streams);
    stdin.write("data: first\n\n");
    await until(stdout, "first");
    controller.abort();
    expect(await run).toBe(130);
  });
});
