/**
 * Reconnection as a browser does it (HTML §9.2.3), plus the bounds a CLI needs: Last-Event-ID
 * on resume, the server's retry:, capped and backed-off delays, give-up, and Ctrl-C.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";

/** Per-route request log: the Last-Event-ID each connection sent ("-" for none). */
const sentIds: Record<string, string[]> = {};

function route(
  name: string,
  handler: (connection: number, lastEventId: string | undefined, response: ServerResponse) => void,
) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const key = new URL(request.url ?? "", "http://x").searchParams.get("run") ?? "";
    const log = sentIds[`${name}/${key}`] ?? [];
    sentIds[`${name}/${key}`] = log;
    const lastEventId = request.headers["last-event-id"] as string | undefined;
    log.push(lastEventId ?? "-");
    handler(log.length, lastEventId, response);
  };
}

/** Per run of the /post route: "METHOD last-event-id body" of each request. */
const postBodies: Record<string, string[]> = {};

const idsOf = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { id: string; data: string });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    // Sends retry: 50 and one event per connection, three times, then 204.
    "/resume": route("resume", (connection, _id, response) => {
      if (connection > 3) return void response.writeHead(204).end();
      response.writeHead(200, eventStreamHeaders);
      response.end(`retry: 50\nid: ${connection}\ndata: event ${connection}\n\n`);
    }),
    // No ids, no retry: the client's --retry is used and no Last-Event-ID is sent.
    "/anonymous": route("anonymous", (connection, _id, response) => {
      if (connection > 2) return void response.writeHead(204).end();
      response.writeHead(200, eventStreamHeaders);
      response.end(`data: anonymous ${connection}\n\n`);
    }),
    // Closes cleanly after every 3 events; resumes after the Last-Event-ID; 12 in all.
    "/every-3": route("every-3", (_connection, lastEventId, response) => {
      const from = Number(lastEventId ?? 0) + 1;
      if (from > 12) return void response.writeHead(204).end();
      response.writeHead(200, eventStreamHeaders);
      let body = "";
      for (let n = from; n < from + 3; n++) body += `id: ${n}\ndata: event ${n}\n\n`;
      response.end(body);
    }),
    // Resets the TCP connection in the middle of event 3, then resumes from the Last-Event-ID.
    "/reset": route("reset", (connection, lastEventId, response) => {
      if (connection === 1) {
        response.writeHead(200, eventStreamHeaders);
        response.write("id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: par", () => {
          setTimeout(() => response.socket?.resetAndDestroy(), 20);
        });
        return;
      }
      if (connection === 2 && lastEventId === "2") {
        response.writeHead(200, eventStreamHeaders);
        return void response.end("id: 3\ndata: partial no more\n\nid: 4\ndata: d\n\n");
      }
      response.writeHead(204).end();
    }),
    // One event, then two 500s, then recovery with one more event, then 204.
    "/flaky": route("flaky", (connection, _id, response) => {
      if (connection === 1 || connection === 4) {
        response.writeHead(200, eventStreamHeaders);
        return void response.end(`id: ${connection}\ndata: ok ${connection}\n\n`);
      }
      if (connection <= 3) {
        return void response.writeHead(500, { "content-type": "text/plain" }).end("boom");
      }
      response.writeHead(204).end();
    }),
    // retry: 0 and no events, forever: the client must back off anyway.
    "/retry-zero": route("retry-zero", (_connection, _id, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.end("retry: 0\n\n");
    }),
    // A huge retry: value, then the stream ends.
    "/retry-huge": route("retry-huge", (_connection, _id, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.end("retry: 999999999999\nid: 9\ndata: x\n\n");
    }),
    // Ids a header cannot carry as they are: UTF-8 text, then a control character.
    "/odd-ids": route("odd-ids", (connection, _id, response) => {
      if (connection > 3) return void response.writeHead(204).end();
      response.writeHead(200, eventStreamHeaders);
      const ids = ["", "é中", "a\x1bb", "after"];
      response.end(`id: ${ids[connection]}\ndata: ${connection}\n\n`);
    }),
    // A POST stream: records the body, one event per connection, 204 after the second.
    "/post": (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const key = new URL(request.url ?? "", "http://x").searchParams.get("run") ?? "";
        const log = postBodies[key] ?? [];
        postBodies[key] = log;
        log.push(
          `${request.method} ${request.headers["last-event-id"] ?? "-"} ${Buffer.concat(chunks)}`,
        );
        if (log.length > 2) return void response.writeHead(204).end();
        response.writeHead(200, eventStreamHeaders);
        if (key === "drop") {
          response.write(`id: ${log.length}\ndata: token\n\n`, () =>
            response.socket?.resetAndDestroy(),
          );
          return;
        }
        response.end(`id: ${log.length}\ndata: token ${log.length}\n\n`);
      });
    },
    // An id-only block ends the first connection (no event after it); the second ends in the
    // middle of a block with an id line (cut off: not applied); the third sends one event.
    "/id-only": route("id-only", (connection, _id, response) => {
      if (connection > 3) return void response.writeHead(204).end();
      response.writeHead(200, eventStreamHeaders);
      response.end(["retry: 50\ndata: a\n\nid: 7\n\n", "id: 8\n", "data: b\n\n"][connection - 1]);
    }),
    // One event then a clean end; for waits that are interrupted.
    "/once": route("once", (_connection, _id, response) => {
      response.writeHead(200, eventStreamHeaders);
      response.end("id: 5\ndata: only\n\n");
    }),
  });
});
afterAll(() => server.close());

describe.concurrent("listen reconnects", () => {
  it("reconnects after a clean end, sends Last-Event-ID and uses the server's retry:", async () => {
    const result = await runCli(["listen", "--json", `${server.url}/resume`]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsOf(result.stdout).map((e) => e.id)).toEqual(["1", "2", "3"]);
    expect(sentIds["resume/"]).toEqual(["-", "1", "2", "3"]);
    // 50 ms asked; no reconnect comes sooner than 100 ms.
    expect(result.stderr).toContain("sse-tool: stream ended; reconnecting in 100 ms\n");
    expect(result.stderr).toMatch(
      /server answered 204 No Content \(stop\): 3 events, .*, 3 reconnects\n$/,
    );
  });

  it("an id-only block sets the Last-Event-ID sent next; an id line cut off by the end does not", async () => {
    const result = await runCli(["listen", "--json", `${server.url}/id-only`]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsOf(result.stdout)).toEqual([
      { time: expect.any(String), event: "message", id: "", data: "a" },
      { time: expect.any(String), event: "message", id: "7", data: "b" },
    ]);
    expect(sentIds["id-only/"]).toEqual(["-", "7", "7", "7"]);
  });

  it("--retry sets the reconnection time; no Last-Event-ID without an id", async () => {
    const result = await runCli(["listen", "--json", "--retry", "60", `${server.url}/anonymous`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("reconnecting in 100 ms\n");
    expect(sentIds["anonymous/"]).toEqual(["-", "-", "-"]);
  });

  it("--last-event-id starts the resume point; -v shows the id sent and the wait", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "-v",
      "--retry",
      "5",
      "--last-event-id",
      "6",
      `${server.url}/every-3?run=v`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsOf(result.stdout).map((e) => e.id)).toEqual(["7", "8", "9", "10", "11", "12"]);
    expect(sentIds["every-3/v"]).toEqual(["6", "9", "12"]);
    expect(result.stderr).toContain("> last-event-id: 6\n");
    expect(result.stderr).toContain("* will send Last-Event-ID: 9\n");
  });

  it("a server closing every 3 events: all 12 shown once, in order, 4 reconnects", async () => {
    const result = await runCli(["listen", "--json", "--retry", "5", `${server.url}/every-3`]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsOf(result.stdout).map((e) => Number(e.id))).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(result.stderr).toMatch(/12 events, .*, 4 reconnects\n$/);
  });

  it("a reset mid-chunk resumes with Last-Event-ID: no duplicate, no partial event", async () => {
    const result = await runCli(["listen", "--json", "--retry", "20", `${server.url}/reset`]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsOf(result.stdout)).toEqual([
      { id: "1", data: "a", time: expect.any(String), event: "message" },
      { id: "2", data: "b", time: expect.any(String), event: "message" },
      { id: "3", data: "partial no more", time: expect.any(String), event: "message" },
      { id: "4", data: "d", time: expect.any(String), event: "message" },
    ]);
    expect(sentIds["reset/"]).toEqual(["-", "2", "4"]);
    expect(result.stderr).toContain(
      "sse-tool: connection reset by the server; reconnecting in 100 ms\n",
    );
  });

  it("a UTF-8 id is resent as its UTF-8 bytes; an id with control characters is not sent", async () => {
    const result = await runCli(["listen", "--json", "--retry", "5", `${server.url}/odd-ids`]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsOf(result.stdout).map((e) => e.id)).toEqual(["é中", "a\x1bb", "after"]);
    // node:http reads header bytes as latin1: UTF-8 bytes arrive spelled that way.
    expect(sentIds["odd-ids/"]).toEqual([
      "-",
      Buffer.from("é中", "utf8").toString("latin1"),
      "-",
      "after",
    ]);
    expect(result.stderr).toContain(
      "sse-tool: warning: the last event ID holds control characters, which no HTTP header can carry; reconnecting without Last-Event-ID\n",
    );
  });

  it("--no-reconnect: a dropped connection is a failure (exit 1), events before it shown", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      `${server.url}/reset?run=nr`,
    ]);
    expect(result.code).toBe(1);
    expect(idsOf(result.stdout).map((e) => e.data)).toEqual(["a", "b"]);
    expect(result.stderr).toMatch(
      /sse-tool: connection lost: connection reset by the server \(--no-reconnect\)\n$/,
    );
  });

  it("a POST is not re-sent by default: its end is the end (exit 0), a drop is a failure", async () => {
    const [ended, dropped] = await Promise.all([
      runCli(["listen", "--json", "--retry", "5", "-d", "{}", `${server.url}/post?run=end`]),
      runCli(["listen", "--json", "--retry", "5", "-d", "{}", `${server.url}/post?run=drop`]),
    ]);
    expect(ended.code, ended.stderr).toBe(0);
    expect(postBodies.end).toEqual(["POST - {}"]);
    expect(dropped.code).toBe(1);
    expect(postBodies.drop).toEqual(["POST - {}"]);
    expect(dropped.stderr).toMatch(
      /sse-tool: connection lost: connection reset by the server \(POST is not re-sent; --reconnect-post re-sends it\)\n$/,
    );
  });

  it("--reconnect-post re-sends the body with Last-Event-ID", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--retry",
      "5",
      "--reconnect-post",
      "-d",
      "prompt",
      `${server.url}/post?run=again`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(postBodies.again).toEqual(["POST - prompt", "POST 1 prompt", "POST 2 prompt"]);
    expect(idsOf(result.stdout).map((e) => e.data)).toEqual(["token 1", "token 2"]);
  });

  it("--no-reconnect: a clean end exits 0 without a second request", async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      `${server.url}/once?run=nr`,
    ]);
    expect(result.code).toBe(0);
    expect(sentIds["once/nr"]).toEqual(["-"]);
    expect(result.stderr).toMatch(/^sse-tool: stream ended: 1 event, /);
  });

  it("a 500 on reconnect backs off, then resumes when the server recovers", async () => {
    const result = await runCli(["listen", "--json", "--retry", "20", `${server.url}/flaky`]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsOf(result.stdout).map((e) => e.data)).toEqual(["ok 1", "ok 4"]);
    const waits = [...result.stderr.matchAll(/reconnecting in (\d+) ms/g)].map((m) => Number(m[1]));
    expect(waits).toEqual([100, 200, 400, 100]);
    expect(result.stderr).toContain(
      "sse-tool: HTTP 500 Internal Server Error; reconnecting in 200 ms\n",
    );
  });

  it("retry: 0 with no events backs off anyway; --max-retries gives up (exit 1)", async () => {
    const result = await runCli(["listen", "--max-retries", "3", `${server.url}/retry-zero`]);
    expect(result.code).toBe(1);
    const waits = [...result.stderr.matchAll(/reconnecting in (\d+) ms/g)].map((m) => Number(m[1]));
    expect(waits).toEqual([100, 200, 400]);
    expect(result.stderr).toMatch(
      /sse-tool: stream ended; giving up after 3 reconnects without an event \(--max-retries\)\n$/,
    );
    expect(sentIds["retry-zero/"]).toHaveLength(4);
  });

  it("a huge retry: is capped at 60 s; Ctrl-C during that wait exits 130 with a summary", async () => {
    const cli = startCli(["listen", "-v", "--json", `${server.url}/retry-huge`]);
    await cli.waitForStderr("reconnecting in 60.0 s");
    expect(cli.stderr).toContain("server asked for retry: 999999999999 ms; capped at 60000 ms");
    cli.kill("SIGINT");
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(
      /sse-tool: interrupted: 1 event, \d+ B, [\d.]+ s, 0 reconnects\n$/,
    );
  });

  it("Ctrl-C during the reconnect wait: summary on stderr, exit 130", async () => {
    const cli = startCli(["listen", "--retry", "30000", `${server.url}/once?run=sigint`]);
    await cli.waitForStderr("reconnecting in 30.0 s");
    cli.kill("SIGINT");
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stdout).toContain("only");
    expect(result.stderr).toMatch(
      /\nsse-tool: interrupted: 1 event, \d+ B, [\d.]+ s, 0 reconnects\n$/,
    );
  });
});
