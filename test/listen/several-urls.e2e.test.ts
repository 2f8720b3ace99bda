/**
 * `listen URL URL...` against several local servers: each stream followed on its own (own
 * reconnects and Last-Event-ID), events labelled, `--json` "source", `-n` over all streams,
 * the worst exit code, Ctrl-C, and the usage errors said once before connecting.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  sendChunks,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";

interface JsonLine {
  source?: string;
  event: string;
  id: string;
  data: string;
}

const parseLines = (stdout: string): JsonLine[] =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JsonLine);

/** Last-Event-ID of each request, per "route/run" ("-" for none). */
const sentIds: Record<string, string[]> = {};

/** Three connections: ids a1,a2 then a3 (each stream ending cleanly), then 204. */
function resumable(prefix: string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const run = new URL(request.url ?? "", "http://x").searchParams.get("run") ?? "";
    const log = sentIds[`${prefix}/${run}`] ?? [];
    sentIds[`${prefix}/${run}`] = log;
    log.push((request.headers["last-event-id"] as string | undefined) ?? "-");
    if (log.length === 1) {
      response.writeHead(200, eventStreamHeaders);
      response.end(`retry: 50\nid: ${prefix}1\ndata: 1\n\nid: ${prefix}2\ndata: 2\n\n`);
    } else if (log.length === 2) {
      response.writeHead(200, eventStreamHeaders);
      response.end(`id: ${prefix}3\ndata: 3\n\n`);
    } else {
      response.writeHead(204).end();
    }
  };
}

/** Sends `count` events at once and keeps the stream open. */
function burstThenHold(name: string, count: number) {
  return (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, eventStreamHeaders);
    let body = "";
    for (let n = 1; n <= count; n++) body += `id: ${n}\ndata: ${name} ${n}\n\n`;
    response.write(body);
  };
}

/** Echoes the request body back as one event. */
function echoBody(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    response.writeHead(200, eventStreamHeaders);
    response.end(`data: ${request.method} ${Buffer.concat(chunks).toString("utf8")}\n\n`);
  });
}

let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  const routes = (name: string) => ({
    "/feed/ticker": sendChunks([`id: t1\ndata: ${name} tick 1\n\n`, `data: ${name} tick 2\n\n`]),
    "/feed/news": sendChunks([`event: headline\ndata: ${name} news\n\n`]),
    "/resume": resumable(name),
    "/hold": burstThenHold(name, 5),
    "/echo": echoBody,
  });
  first = await startTestServer(routes("first"));
  second = await startTestServer(routes("second"));
});
afterAll(async () => {
  await first.close();
  await second.close();
});

describe.concurrent("listen URL URL...", () => {
  it("--json: every event of each stream, in its order, with its URL as source", async () => {
    const urls = [`${first.url}/feed/ticker`, `${second.url}/feed/news`];
    const result = await runCli(["listen", "--json", "--no-reconnect", ...urls]);
    expect(result.code, result.stderr).toBe(0);
    const lines = parseLines(result.stdout);
    const strip = ({ source, event, id, data }: JsonLine) => ({ source, event, id, data });
    expect(lines.filter((line) => line.source === urls[0]).map(strip)).toEqual([
      { source: urls[0], event: "message", id: "t1", data: "first tick 1" },
      { source: urls[0], event: "message", id: "t1", data: "first tick 2" },
    ]);
    expect(lines.filter((line) => line.source === urls[1]).map(strip)).toEqual([
      { source: urls[1], event: "headline", id: "", data: "second news" },
    ]);
    expect(lines).toHaveLength(3);
    // Each stream's end is reported under its label (the two ports tell them apart).
    const [, firstPort] = first.url.split(/:(?=\d+$)/);
    expect(result.stderr).toContain(`sse-tool: [127.0.0.1:${firstPort}] stream ended: 2 events`);
  });

  it("pretty view: each event labelled with the shortest part telling the URLs apart", async () => {
    const result = await runCli([
      "listen",
      "--no-reconnect",
      `${first.url}/feed/ticker`,
      `${first.url}/feed/news`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n").sort();
    const time = String.raw`\d\d:\d\d:\d\d\.\d{3}`;
    expect(lines).toHaveLength(3);
    expect(result.stdout).toMatch(
      new RegExp(`^${time} \\[ticker\\] message id=t1 first tick 1$`, "m"),
    );
    expect(result.stdout).toMatch(
      new RegExp(`^${time} \\[ticker\\] message \\(id t1\\) first tick 2$`, "m"),
    );
    // Padded to the longest label so the event names line up.
    expect(result.stdout).toMatch(new RegExp(`^${time} \\[news\\]   headline first news$`, "m"));
    expect(result.stderr).toMatch(/^sse-tool: \[news\] stream ended: 1 event/m);
  });

  it("each stream reconnects on its own, sending its own Last-Event-ID", async () => {
    const result = await runCli([
      "listen",
      "--json",
      `${first.url}/resume?run=own-ids`,
      `${second.url}/resume?run=own-ids`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(sentIds["first/own-ids"]).toEqual(["-", "first2", "first3"]);
    expect(sentIds["second/own-ids"]).toEqual(["-", "second2", "second3"]);
    const ids = parseLines(result.stdout).map((line) => line.id);
    expect(ids.filter((id) => id.startsWith("first"))).toEqual(["first1", "first2", "first3"]);
    expect(ids.filter((id) => id.startsWith("second"))).toEqual(["second1", "second2", "second3"]);
  });

  it("-n counts shown events over all streams, then every stream stops (exit 0)", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "-n",
      "7",
      `${first.url}/hold`,
      `${second.url}/hold`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(parseLines(result.stdout)).toHaveLength(7);
    expect(result.stderr.match(/done \(-n 7\)/g)).toHaveLength(2);
  });

  it("a failing stream does not stop the others; the exit code is the worst (1)", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      `${first.url}/missing`,
      `${second.url}/feed/news`,
    ]);
    expect(result.code).toBe(1);
    expect(parseLines(result.stdout).map((line) => line.data)).toEqual(["second news"]);
    expect(result.stderr).toMatch(/^sse-tool: \[127\.0\.0\.1:\d+\] HTTP 404 Not Found from /m);
  });

  it("--timeout ends all streams at once; a timeout beats streams that ended (exit 3)", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      // Long enough for both streams' events to arrive on a loaded machine.
      "--timeout",
      "3",
      `${first.url}/feed/news`,
      `${second.url}/hold`,
    ]);
    expect(result.code).toBe(3);
    expect(parseLines(result.stdout)).toHaveLength(6);
    expect(result.stderr).toMatch(
      /^sse-tool: \[127\.0\.0\.1:\d+\] timeout: --timeout 3 s elapsed$/m,
    );
  });

  it("--expect-event holds for each stream: one without it fails the run (exit 4)", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      "--expect-event",
      "headline",
      `${first.url}/feed/ticker`,
      `${first.url}/feed/news`,
    ]);
    expect(result.code).toBe(4);
    expect(parseLines(result.stdout)).toHaveLength(3);
    expect(result.stderr).toMatch(/^sse-tool: \[ticker\] .*headline/m);
    expect(result.stderr).not.toMatch(/^sse-tool: \[news\] .*headline/m);
  });

  it("-d @- is read once and sent to every stream", async () => {
    const result = await runCli(
      ["listen", "--json", "--no-reconnect", "-d", "@-", `${first.url}/echo`, `${second.url}/echo`],
      { stdin: "hello both" },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(parseLines(result.stdout).map((line) => line.data)).toEqual([
      "POST hello both",
      "POST hello both",
    ]);
  });

  it("Ctrl-C stops every stream: exit 130, a summary per stream", async () => {
    const cli = startCli(["listen", "--json", `${first.url}/hold`, `${second.url}/hold`]);
    await cli.waitForStdout(/(.*\n){10}/);
    cli.kill("SIGINT");
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stderr.match(/^sse-tool: \[[^\]]+\] interrupted: 5 events/gm)).toHaveLength(2);
  });

  it("usage errors are said once, before any connection (exit 2)", async () => {
    const raw = await runCli(["listen", "--raw", `${first.url}/never`, `${first.url}/never`]);
    expect(raw.code).toBe(2);
    expect(raw.stderr).toBe("sse-tool: --raw writes one body unchanged; give it one URL\n");
    const badUrl = await runCli(["listen", `${first.url}/never`, "ftp://example.com/x"]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toBe("sse-tool: unsupported URL scheme ftp: (use http or https)\n");
    expect(first.requests.filter((request) => request.url === "/never")).toEqual([]);
  });

  it("one URL: --json lines have no source field", async () => {
    const result = await runCli(["listen", "--json", "--no-reconnect", `${first.url}/feed/news`]);
    expect(result.code, result.stderr).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout))).toEqual(["time", "event", "id", "data"]);
  });
});
