/**
 * `curl -sN URL | sse-tool listen -` against a live local server: each event is shown as it
 * comes through the pipe. The server holds the next event until the test saw the previous one
 * on stdout, so a reader that waited for the end of input would never finish; the end of the
 * input (curl done) is the stream's end, and Ctrl-C stops it as it stops a URL.
 */
import { spawn } from "node:child_process";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose one stream is written by the test, event by event. */
async function heldStream(): Promise<{ url: string; response: Promise<ServerResponse> }> {
  let opened: (response: ServerResponse) => void = () => {};
  const response = new Promise<ServerResponse>((resolve) => {
    opened = resolve;
  });
  server = await startTestServer({
    "/events": (_request, res) => {
      res.writeHead(200, eventStreamHeaders);
      res.flushHeaders();
      opened(res);
    },
  });
  return { url: `${server.url}/events`, response };
}

function pipeCurlInto(url: string, args: string[]) {
  const curl = spawn("curl", ["-sN", url], { stdio: ["ignore", "pipe", "ignore"] });
  const cli = startCli(["listen", ...args, "-"]);
  curl.stdout.pipe(cli.child.stdin!);
  return { curl, cli };
}

describe("curl -sN | listen -", () => {
  it("shows each event before the next is sent; the end of input ends the stream", async () => {
    const { url, response } = await heldStream();
    const { cli } = pipeCurlInto(url, ["--json"]);
    const res = await response;
    for (let i = 1; i <= 3; i++) {
      res.write(`id: ${i}\ndata: event ${i}\n\n`);
      await cli.waitForStdout(`"data":"event ${i}"`);
      expect(cli.stdout).not.toContain(`event ${i + 1}`);
    }
    res.end();
    const result = await cli.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(3);
    expect(result.stderr).toContain("3 events");
  });

  it("Ctrl-C stops it as it stops a URL (exit 130)", async () => {
    const { url, response } = await heldStream();
    const { cli, curl } = pipeCurlInto(url, []);
    const res = await response;
    res.write("data: first\n\n");
    await cli.waitForStdout("first");
    cli.kill("SIGINT");
    const result = await cli.exited;
    curl.kill();
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("1 event");
  });
});
