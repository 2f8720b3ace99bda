/**
 * The relay pipeline the README documents for watching a remote stream in the browser:
 * `sse-tool listen --json <upstream> | sse-tool serve`, run through `sh -c` exactly as typed.
 * A client of `serve` receives the upstream's events with their names, data and ids.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { binPath } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { connectSse } from "../helpers/sse-client.js";

let upstream: TestServer | undefined;
let pipeline: ChildProcess | undefined;

afterEach(async () => {
  if (pipeline?.pid !== undefined && pipeline.exitCode === null) {
    const exited = new Promise((resolve) => pipeline?.once("close", resolve));
    // The shell and both commands share a process group (detached): stop them together.
    process.kill(-pipeline.pid, "SIGTERM");
    await exited;
  }
  pipeline = undefined;
  await upstream?.close();
  upstream = undefined;
});

/** Runs a shell pipeline; resolves with the serve URL once serve prints it on stderr. */
function startPipeline(command: string): Promise<{ url: string; stderr: () => string }> {
  const child = spawn("sh", ["-c", command], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  pipeline = child;
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no serve URL; stderr:\n${stderr}`)), 15_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /serving (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], stderr: () => stderr });
      }
    });
    child.on("close", () => reject(new Error(`pipeline exited; stderr:\n${stderr}`)));
  });
}

describe("listen --json | serve relay", () => {
  it("re-serves the upstream's events with names, data and ids", async () => {
    upstream = await startTestServer({
      "/upstream": (_request, response) => {
        response.writeHead(200, eventStreamHeaders);
        response.write(": upstream says hi\n\n");
        response.write("event: greeting\nid: 1\ndata: hello\n\n");
        response.write('data: {"n":1,"text":"Grüße 👋"}\n\n');
        response.write("id: 2\ndata: line one\ndata: line two\n\n");
        response.write("event: done\ndata: [DONE]\n\n");
        // The stream stays open, as a live upstream's would.
      },
    });
    const node = JSON.stringify(process.execPath);
    const bin = JSON.stringify(binPath);
    const { url, stderr } = await startPipeline(
      `${node} ${bin} listen --json ${upstream.url}/upstream | ${node} ${bin} serve --port 0`,
    );
    const client = await connectSse(url);
    const events = await client.waitForEvents(4);
    client.close();
    expect(events).toEqual([
      { type: "greeting", data: "hello", lastEventId: "1" },
      { type: "message", data: '{"n":1,"text":"Grüße 👋"}', lastEventId: "1" },
      { type: "message", data: "line one\nline two", lastEventId: "2" },
      { type: "done", data: "[DONE]", lastEventId: "2" },
    ]);
    expect(stderr()).not.toMatch(/warning/);
  });
});
