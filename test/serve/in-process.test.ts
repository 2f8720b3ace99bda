/** `serve` run in-process with its streams handed in: input from the given stdin, logs to the given stderr. */
import { get, type IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { declareServe, type ServeCliOptions } from "../../src/serve/cli.js";
import { serve } from "../../src/serve/command.js";
import { collectedIo, parsedOptions } from "../helpers/command-io.js";

function firstResponse(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).on("error", reject));
}

function readUntil(response: IncomingMessage, wanted: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      body += chunk;
      if (body.includes(wanted)) resolve(body);
    });
    response.on("error", reject);
    response.on("end", () => resolve(body));
  });
}

describe("serve with injected I/O", () => {
  it("serves lines from the given stdin, logs to the given stderr, stops on the given signal", async () => {
    const options = parsedOptions<ServeCliOptions>(declareServe, ["serve", "--port", "0"]);
    const { io, stdout, stderr, stderrLine, stop } = collectedIo();
    const running = serve(undefined, options, io);
    const [, url] = await stderrLine(/serving (http:\/\/127\.0\.0\.1:\d+\/events)/);
    const response = await firstResponse(url!);
    expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
    const received = readUntil(response, "data: hello");
    io.stdin.write("hello\n");
    expect(await received).toContain("data: hello\n\n");

    stop.abort();
    expect(await running).toBe(0);
    expect(stderr()).toMatch(/stopped: flushing to 1 client\(s\) and closing/);
    expect(stdout()).toBe("");
    expect(io.stdin.destroyed).toBe(true);
  });
});
