/**
 * Issue 14: who may use `serve`, against the built binary with raw sockets (any Host header,
 * any Origin, exactly as a browser or an attacker's page would make them): the Host check
 * against DNS rebinding, the Origin check on every request (publishing included, whatever the
 * Content-Type), form bodies refused, and the token's sources and hygiene.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkServeAccess } from "../../../src/serve/access/serve-access.js";
import { type CliRunOptions, runCli } from "../../helpers/cli-process.js";
import { httpRequestText, type RawAnswer, rawRequest } from "../../helpers/raw-http.js";
import { connectSse, startServeFor } from "../../helpers/sse-client.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const serve = (args: string[], options?: CliRunOptions) => startServeFor(cleanups, args, options);

/** One request; a 200 event stream is cut once its head arrived. */
function send(
  origin: string,
  method: string,
  target: string,
  headers: Record<string, string>,
  body = "",
): Promise<RawAnswer> {
  return rawRequest(origin, httpRequestText(method, target, headers, body), (text) =>
    /^HTTP\/1\.1 200[\s\S]*text\/event-stream[\s\S]*\r\n\r\n/.test(text),
  );
}

const json = { "Content-Type": "application/json" };

describe("Host check: DNS rebinding gets nothing", () => {
  it("a Host that is not loopback, an IP address or allowed is refused (403) on every route, before the token", async () => {
    const { origin, url, cli } = await serve(["--no-wait", "--token", "s3cret"]);
    const port = new URL(origin).port;
    const watcher = await connectSse(url, { Authorization: "Bearer s3cret" });
    const refusedHosts = [
      `evil.example:${port}`,
      `127.evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.:${port}`,
      "::ffff:127.0.0.1",
      `::1:${port}`,
      `[::1:${port}`,
      `localhost:${port}:${port}`,
      "",
    ];
    const requests: Array<[string, string, Record<string, string>, string]> = [
      ["GET", "/events", { Authorization: "Bearer s3cret" }, ""],
      ["GET", "/", {}, ""],
      ["POST", "/events?token=s3cret", json, '{"data":"rebound"}'],
      ["OPTIONS", "/events", { "Access-Control-Request-Method": "GET" }, ""],
      ["GET", "/nothing-here", {}, ""],
    ];
    for (const host of refusedHosts) {
      for (const [method, target, headers, body] of requests) {
        const answer = await send(origin, method, target, { Host: host, ...headers }, body);
        expect(answer.status, `${method} ${target} Host ${host}`).toBe(403);
        expect(answer.body).toMatch(/localhost, an IP address or an --allowed-host/);
      }
    }
    await cli.waitForStderr(
      /403 for POST from 127\.0\.0\.1:\d+: Host "evil\.example:\d+" is not allowed/,
    );
    // Loopback names and IP addresses (which DNS cannot rebind) are served.
    for (const host of [
      `localhost:${port}`,
      `LocalHost:${port}`,
      `app.localhost:${port}`,
      `127.0.0.1:${port}`,
      `127.1.2.3:${port}`,
      `[::1]:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `10.1.2.3:${port}`,
      "localhost",
    ]) {
      const answer = await send(origin, "GET", "/events", {
        Host: host,
        Authorization: "Bearer s3cret",
      });
      expect(answer.status, host).toBe(200);
    }
    // None of the refused publishes reached the stream.
    const allowed = await send(
      origin,
      "POST",
      "/events?token=s3cret",
      { Host: `localhost:${port}`, ...json },
      '{"data":"allowed"}',
    );
    expect(allowed.status).toBe(202);
    await watcher.waitForEvents(1);
    expect(watcher.events.map((event) => event.data)).toEqual(["allowed"]);
    watcher.close();
  });

  it("--allowed-host adds a name, and .domain a domain with its subdomains", async () => {
    const { origin } = await serve([
      "--no-wait",
      "--allowed-host",
      "dev.example.test",
      "--allowed-host",
      ".corp.test",
    ]);
    const status = async (host: string) => (await send(origin, "GET", "/", { Host: host })).status;
    expect(await status("dev.example.test:8080")).toBe(200);
    expect(await status("corp.test")).toBe(200);
    expect(await status("a.b.corp.test:1")).toBe(200);
    expect(await status("other.example.test")).toBe(403);
    expect(await status("dev.example.test.evil.example")).toBe(403);
    expect(await status("evilcorp.test")).toBe(403);
    // Behind a TLS-terminating proxy, the server's own page is https://<that name>.
    const ownPage = await send(
      origin,
      "POST",
      "/events",
      { Host: "dev.example.test", Origin: "https://dev.example.test", ...json },
      '{"data":"from its own page"}',
    );
    expect(ownPage.status).toBe(202);
    const bad = await runCli(["serve", "--port", "0", "--allowed-host", "http://x.test"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^sse-tool: --allowed-host "http:\/\/x\.test": expected a host name/,
    );
  });

  it("the --host name itself is allowed (checked before anything listens)", async () => {
    const access = await checkServeAccess({ host: "Build-Box.lan", cors: undefined }, {});
    expect(access.allowedHosts).toEqual(["build-box.lan"]);
    const byAddress = await checkServeAccess({ host: "0.0.0.0", allowedHost: ["x.test"] }, {});
    expect(byAddress.allowedHosts).toEqual(["x.test"]);
  });
});

describe("Origin check: a page on another origin cannot publish", () => {
  it("a POST with an Origin that is not allowed is refused (403) whatever its Content-Type; nothing is published", async () => {
    const { origin, url, cli } = await serve(["--no-wait", "--cors", "https://good.example"]);
    const port = new URL(origin).port;
    const watcher = await connectSse(url);
    const host = { Host: `127.0.0.1:${port}` };
    const bodies: Array<[Record<string, string>, string]> = [
      // The CORS "simple requests": no preflight, a browser sends them to any origin.
      [{ "Content-Type": "text/plain" }, '{"event":"x","data":"y","retry":1}'],
      [{ "Content-Type": "application/x-www-form-urlencoded" }, '{"event":"x","data":"y"}'],
      [{ "Content-Type": "multipart/form-data; boundary=b" }, "--b\r\n\r\nx\r\n--b--\r\n"],
      [{}, '{"data":"no type"}'],
      [json, '{"data":"json"}'],
    ];
    for (const origin of ["https://evil.example", "null", "http://localhost.evil.example:3000"]) {
      for (const [headers, body] of bodies) {
        const answer = await send(
          url,
          "POST",
          "/events",
          { ...host, Origin: origin, ...headers },
          body,
        );
        expect(answer.status, `${origin} ${JSON.stringify(headers)}`).toBe(403);
        expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
      }
    }
    await cli.waitForStderr(
      /403 for POST from 127\.0\.0\.1:\d+: Origin "https:\/\/evil\.example" is not allowed/,
    );
    // The origins that are allowed publish: --cors, a loopback page, the server's own page.
    for (const allowedOrigin of ["https://good.example", "http://localhost:5173", origin]) {
      const answer = await send(
        url,
        "POST",
        "/events",
        { ...host, Origin: allowedOrigin, ...json },
        `{"data":"from ${allowedOrigin}"}`,
      );
      expect(answer.status, allowedOrigin).toBe(202);
    }
    await watcher.waitForEvents(3);
    expect(watcher.events.map((event) => event.data)).toEqual([
      "from https://good.example",
      "from http://localhost:5173",
      `from ${origin}`,
    ]);
    watcher.close();
  });

  it("only documented body types are read: a form or untyped body is 415, even from an allowed page", async () => {
    const { url } = await serve(["--no-wait", "--ids"]);
    const watcher = await connectSse(url);
    const types: Array<Record<string, string>> = [
      { "Content-Type": "application/x-www-form-urlencoded" },
      { "Content-Type": "multipart/form-data; boundary=b" },
      { "Content-Type": "text/html" },
      {},
    ];
    for (const headers of types) {
      const response = await fetch(url, {
        method: "POST",
        headers: { Origin: "http://localhost:5173", ...headers },
        body: new Blob(['{"event":"x","data":"from a form"}']),
      });
      expect(response.status, JSON.stringify(headers)).toBe(415);
      expect((await response.json()).error).toMatch(/application\/json.*text\/plain.*curl: --json/);
    }
    const good = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"data":"json"}',
    });
    expect(await good.json()).toEqual({ published: 1, ids: ["1"] });
    await watcher.waitForEvents(1);
    expect(watcher.events.map((event) => event.data)).toEqual(["json"]);
    watcher.close();
  });
});

describe("token hygiene", () => {
  it("an empty --token or SSE_TOOL_TOKEN is a usage error, never 'no token'", async () => {
    const empty = await runCli(["serve", "--port", "0", "--token", ""], { stdin: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(
      "sse-tool: --token is empty: give a secret (an unset variable?), or leave it out for no token\n",
    );
    const emptyEnv = await runCli(["serve", "--port", "0"], {
      stdin: "",
      env: { SSE_TOOL_TOKEN: "" },
    });
    expect(emptyEnv.code).toBe(2);
    expect(emptyEnv.stderr).toMatch(/^sse-tool: SSE_TOOL_TOKEN is empty/);
    const missingFile = await runCli(["serve", "--port", "0", "--token-file", "/nonexistent/t"]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toBe("sse-tool: cannot read --token-file /nonexistent/t: ENOENT\n");
  });

  it("--token-file guards the stream and stays out of the command line and the log", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sse-tool-token-"));
    const tokenFile = join(dir, "token");
    await writeFile(tokenFile, "file-s3cret\n");
    const { url, origin, cli } = await serve(["--no-wait", "--token-file", tokenFile]);
    expect((await connectSse(url)).status).toBe(401);
    const allowed = await connectSse(url, { Authorization: "Bearer file-s3cret" });
    expect(allowed.status).toBe(200);
    allowed.close();
    const cmdline = readFileSync(`/proc/${cli.child.pid}/cmdline`, "utf8");
    expect(cmdline).toContain(tokenFile);
    expect(cmdline).not.toContain("file-s3cret");
    await cli.waitForStderr(
      `viewer page: ${origin}/ (add ?token= with the token from --token-file)`,
    );
    expect(cli.stderr).not.toContain("file-s3cret");
  });

  it("a token given on the command line makes the printed viewer URL work as printed", async () => {
    const { url, origin, cli } = await serve(["--no-wait", "--token", "s3/cr&t+=?"]);
    const printed = await cli.waitForStderr(/viewer page: (\S+)\n/);
    const pageUrl = /viewer page: (\S+)\n/.exec(printed)?.[1] ?? "";
    expect(pageUrl).toBe(`${origin}/?token=s3%2Fcr%26t%2B%3D%3F`);
    // The page passes its ?token= on to the stream (test/browser/viewer-page.test.ts): as is.
    const stream = await connectSse(`${url}${new URL(pageUrl).search}`);
    expect(stream.status).toBe(200);
    stream.close();
  });

  it("--llm-fake on a non-loopback host without a token warns as serve does", async () => {
    const open = await serve(["--llm-fake", "openai", "--host", "0.0.0.0"], { stdin: "hi\n" });
    await open.cli.waitForStderr(/warning: listening on 0\.0\.0\.0 without a token/);
    const guarded = await serve(["--llm-fake", "openai", "--host", "0.0.0.0"], {
      stdin: "hi\n",
      env: { SSE_TOOL_TOKEN: "t0ken" },
    });
    await guarded.cli.waitForStderr(/llm-fake: POST/);
    expect(guarded.cli.stderr).not.toMatch(/warning/);
  });
});
