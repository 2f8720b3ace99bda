/**
 * Publishing over HTTP and `--token`, against the built binary: `POST /events` with JSON,
 * NDJSON or text, mixed with stdin events in one ordered stream and one history; bad bodies,
 * the size limit, `--no-publish`, the token on stream and publish, and the warning for a
 * non-loopback host.
 */
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { CliProcess } from "../../helpers/cli-process.js";
import { connectSse, type RunningServe, startServe } from "../../helpers/sse-client.js";

const running: CliProcess[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) {
    cli.kill();
    await cli.exited;
  }
});

async function serve(args: string[], env?: Record<string, string>): Promise<RunningServe> {
  const started = await startServe(args, env === undefined ? {} : { env });
  running.push(started.cli);
  return started;
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  // fetch would label a string body text/plain, which publishes it as one data event.
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

const ndjson = { "Content-Type": "application/x-ndjson" };

describe("POST /events", () => {
  it("publishes JSON, NDJSON and text (202 with ids), in one stream and history with stdin", async () => {
    const { cli, url } = await serve(["--ids", "--format", "ndjson"]);
    const client = await connectSse(url);
    const stdinEvent = async (line: string, total: number) => {
      cli.child.stdin?.write(`${line}\n`);
      await client.waitForEvents(total);
    };

    await stdinEvent('{"event":"stdin","data":"s1"}', 1);
    const single = await post(url, '{"event":"x","data":"y"}');
    expect(single.status).toBe(202);
    expect(single.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(single.text)).toEqual({ published: 1, ids: ["2"] });
    await client.waitForEvents(2);

    await stdinEvent('{"event":"stdin","data":"s2"}', 3);
    const several = await post(
      url,
      '{"data":{"n":1}}\n{"event":"x","data":"z","id":"mine"}\n',
      ndjson,
    );
    expect(several.status).toBe(202);
    expect(JSON.parse(several.text)).toEqual({ published: 2, ids: ["4", "mine"] });
    await client.waitForEvents(5);

    const text = await post(url, "line one\nline two\n", { "Content-Type": "text/plain" });
    expect(text.status).toBe(202);
    expect(JSON.parse(text.text)).toEqual({ published: 1, ids: ["6"] });

    const expected = [
      { type: "stdin", data: "s1", lastEventId: "1" },
      { type: "x", data: "y", lastEventId: "2" },
      { type: "stdin", data: "s2", lastEventId: "3" },
      { type: "message", data: '{"n":1}', lastEventId: "4" },
      { type: "x", data: "z", lastEventId: "mine" },
      { type: "message", data: "line one\nline two", lastEventId: "6" },
    ];
    expect(await client.waitForEvents(6)).toEqual(expected);
    client.close();

    // One history: a client resuming after id 2 gets stdin and published events alike.
    const resumed = await connectSse(url, { "Last-Event-ID": "2" });
    expect(await resumed.waitForEvents(4)).toEqual(expected.slice(2));
    resumed.close();
  });

  it("answers 400 with a JSON error for bad bodies and publishes none of them", async () => {
    const { url } = await serve(["--ids", "--no-wait"]);
    const cases = [
      { body: "hello", headers: { "Content-Type": "application/json" }, line: 1, error: /JSON/ },
      { body: '{"data":"ok"}\n{oops', headers: ndjson, line: 2, error: /^line 2: invalid JSON/ },
      { body: '{"data":"ok"}\n{"id":"a\\nb","data":"x"}', headers: ndjson, line: 2, error: /id/ },
      { body: '{"event":"only-a-name"}', headers: ndjson, line: 1, error: /data/ },
      { body: "", headers: ndjson, line: undefined, error: /empty/ },
    ];
    for (const { body, headers, line, error } of cases) {
      const response = await post(url, body, headers);
      expect(response.status, body).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const parsed = JSON.parse(response.text) as { error: string; line?: number };
      expect(parsed.error).toMatch(error);
      expect(parsed.line).toBe(line);
    }
    // Nothing of the rejected bodies was published: the next event is still number 1.
    const good = await post(url, '{"data":"first"}');
    expect(JSON.parse(good.text)).toEqual({ published: 1, ids: ["1"] });
  });

  it("accepts a body of exactly 1 MiB and answers 413 over it, declared or streamed", async () => {
    const { url } = await serve(["--ids", "--no-wait"]);
    const oneMiB = 1024 * 1024;
    const atLimit = await post(url, "a".repeat(oneMiB), { "Content-Type": "text/plain" });
    expect(atLimit.status).toBe(202);

    const declared = await post(url, "a".repeat(oneMiB + 1), { "Content-Type": "text/plain" });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).error).toMatch(/limit/);

    // Chunked upload without Content-Length: cut off once it passes the limit.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const upload = request(url, { method: "POST", headers: { "Content-Type": "text/plain" } });
      upload.on("error", reject);
      upload.on("response", (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (part: string) => {
          body += part;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      });
      const piece = Buffer.alloc(256 * 1024, "b");
      for (let i = 0; i < 5; i++) upload.write(piece);
      upload.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toMatch(/limit/);

    const next = await post(url, '{"data":"after"}');
    expect(JSON.parse(next.text)).toEqual({ published: 1, ids: ["2"] });
  });

  it("--no-publish answers 405 and names the allowed methods", async () => {
    const { url } = await serve(["--no-publish", "--no-wait"]);
    const response = await post(url, '{"data":"x"}');
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, OPTIONS");
  });
});

describe("--token", () => {
  it("guards the stream and publishing: 401 without or with a wrong token", async () => {
    const { url, origin, cli } = await serve(["--token", "s3cret", "--no-wait"]);
    const streamStatus = async (target: string, headers: Record<string, string> = {}) => {
      const connection = await connectSse(target, headers);
      connection.close();
      return connection.status;
    };
    expect(await streamStatus(url)).toBe(401);
    expect(await streamStatus(url, { Authorization: "Bearer wrong" })).toBe(401);
    expect(await streamStatus(`${url}?token=wrong`)).toBe(401);
    expect((await post(url, '{"data":"x"}')).status).toBe(401);
    expect((await post(`${url}?token=s3cre`, '{"data":"x"}')).status).toBe(401);
    expect((await post(url, '{"data":"x"}', { Authorization: "Bearer nope" })).status).toBe(401);
    const denied = await post(url, '{"data":"x"}');
    expect(denied.text).toMatch(/Authorization: Bearer <token>.*\?token=/);
    // The server says why, since a browser's EventSource only sees "error".
    await cli.waitForStderr(/401 for GET from 127\.0\.0\.1:\d+: missing token/);
    await cli.waitForStderr(/401 for POST from 127\.0\.0\.1:\d+: wrong token/);

    const byHeader = await connectSse(url, { Authorization: "Bearer s3cret" });
    const byQuery = await connectSse(`${url}?token=s3cret`);
    expect([byHeader.status, byQuery.status]).toEqual([200, 200]);
    expect((await post(url, '{"data":"one"}', { Authorization: "Bearer s3cret" })).status).toBe(
      202,
    );
    expect((await post(`${url}?token=s3cret`, '{"data":"two"}')).status).toBe(202);
    for (const connection of [byHeader, byQuery]) {
      expect((await connection.waitForEvents(2)).map((event) => event.data)).toEqual([
        "one",
        "two",
      ]);
      connection.close();
    }
    // The viewer page holds no data; it passes on the ?token= it is opened with.
    expect((await fetch(`${origin}/`)).status).toBe(200);
  });

  it("reads the token from SSE_TOOL_TOKEN", async () => {
    const { url } = await serve(["--no-wait"], { SSE_TOOL_TOKEN: "from-env" });
    expect((await post(url, '{"data":"x"}')).status).toBe(401);
    expect((await post(url, '{"data":"x"}', { Authorization: "Bearer from-env" })).status).toBe(
      202,
    );
  });

  it("warns on stderr when bound to a non-loopback host without a token", async () => {
    const open = await serve(["--host", "0.0.0.0", "--no-wait"]);
    await open.cli.waitForStderr(/warning: listening on 0\.0\.0\.0 without a token/);

    const guarded = await serve(["--host", "0.0.0.0", "--no-wait", "--token", "t"]);
    const loopback = await serve(["--no-wait"]);
    // The warning comes right after the "serving" line; by the next request it would be there.
    for (const { url, cli } of [guarded, loopback]) {
      const port = new URL(url).port;
      await fetch(`http://127.0.0.1:${port}/nothing`);
      expect(cli.stderr).not.toMatch(/warning/);
    }
  });
});
