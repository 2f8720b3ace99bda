/**
 * Requests as curl and HTTPie users type them (issue 15): URLs without a scheme, Basic auth
 * from `user:password@` and -u with the password shown nowhere, -i, -o, -s/-q and the default
 * User-Agent (-k is in request.e2e.test.ts, beside --insecure). Every test spawns the built
 * binary against servers started here.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { runCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";

/** Echoes the request headers back as one event's data. */
function echo(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, eventStreamHeaders);
  response.end(`data: ${JSON.stringify(request.headers)}\n\n`);
}

const secret = "s3cr3t-pw";
let server: TestServer;
let other: TestServer;
let workDir: string;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "sse-tool-curl-habits-"));
  other = await startTestServer({ "/echo": echo });
  server = await startTestServer({
    "/echo": echo,
    "/denied": (_request, response) => {
      response.writeHead(401, { "content-type": "text/plain" }).end("who are you?");
    },
    "/same-origin": (_request, response) => {
      response.writeHead(302, { location: "/echo" }).end();
    },
    "/elsewhere": (_request, response) => {
      response.writeHead(302, { location: `${other.url}/echo` }).end();
    },
  });
});
afterAll(async () => {
  await server.close();
  await other.close();
});

const port = () => new URL(server.url).port;
const withCredentials = (path: string) => `http://alice:${secret}@127.0.0.1:${port()}${path}`;
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString("base64")}`;

async function echoed(args: string[]): Promise<Record<string, string>> {
  const result = await runCli(["listen", "--json", "--no-reconnect", ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(JSON.parse(result.stdout.trim()).data) as Record<string, string>;
}

describe.concurrent("URLs without a scheme mean http:// (as HTTPie reads them)", () => {
  it.each([
    ["host:port/path", () => `127.0.0.1:${port()}/echo`],
    ["localhost:port/path", () => `localhost:${port()}/echo`],
    [":port/path (localhost)", () => `:${port()}/echo`],
  ])("%s", async (_name, url) => {
    const headers = await echoed([url()]);
    expect(headers.host).toMatch(new RegExp(`^(127\\.0\\.0\\.1|localhost):${port()}$`));
  });

  it("another scheme is still a usage error naming it", async () => {
    const result = await runCli(["listen", "ftp://127.0.0.1/events"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("sse-tool: unsupported URL scheme ftp: (use http or https)\n");
  });
});

describe.concurrent("Basic auth from user:password@ and -u, the password never shown", () => {
  it("user:password@ in the URL is sent as Basic auth (percent-decoded)", async () => {
    const headers = await echoed([`http://al%40ice:p%3Ass@127.0.0.1:${port()}/echo`]);
    expect(headers.authorization).toBe(basic("al@ice:p:ss"));
  });

  it("-u user:password and --user user (empty password) are Basic auth; -H Authorization wins", async () => {
    expect((await echoed(["-u", "bob:pw", `${server.url}/echo`])).authorization).toBe(
      basic("bob:pw"),
    );
    expect((await echoed(["--user", "bob", `${server.url}/echo`])).authorization).toBe(
      basic("bob:"),
    );
    const overridden = await echoed([
      "-u",
      "bob:pw",
      "-H",
      "Authorization: Bearer t",
      `${server.url}/echo`,
    ]);
    expect(overridden.authorization).toBe("Bearer t");
  });

  it("-v and the connected line show the URL without the credentials", async () => {
    const result = await runCli(["listen", "-v", "--no-reconnect", withCredentials("/echo")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`> GET http://127.0.0.1:${port()}/echo\n`);
    expect(result.stderr).toContain(`sse-tool: connected to http://127.0.0.1:${port()}/echo\n`);
    expect(result.stderr).toContain("> authorization: Basic [redacted");
    expect(result.stderr).not.toContain(secret);
    expect(result.stderr).not.toContain("alice");
    expect(result.stdout).toContain(basic(`alice:${secret}`).slice(6));
  });

  it("errors show the URL without the credentials", async () => {
    const denied = await runCli(["listen", "--no-reconnect", withCredentials("/denied")]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(
      `sse-tool: HTTP 401 Unauthorized from http://127.0.0.1:${port()}/denied: who are you?\n`,
    );
    const invalid = await runCli(["listen", `http://alice:${secret}@127.0.0.1:99999/x`]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe("sse-tool: invalid URL: http://127.0.0.1:99999/x\n");
  });

  it('--json "source" of several URLs holds no credentials', async () => {
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      withCredentials("/echo"),
      `http://bob:${secret}@localhost:${port()}/echo`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const sources = result.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { source: string }).source)
      .sort();
    expect(sources).toEqual([`http://127.0.0.1:${port()}/echo`, `http://localhost:${port()}/echo`]);
    expect(result.stderr).not.toContain(secret);
  });

  it("Basic auth from the URL follows a redirect to the same origin, not to another one", async () => {
    const same = await echoed([withCredentials("/same-origin")]);
    expect(same.authorization).toBe(basic(`alice:${secret}`));
    const elsewhere = await echoed([withCredentials("/elsewhere")]);
    expect(elsewhere.authorization).toBeUndefined();
    const trusted = await echoed(["--location-trusted", "-u", "bob:pw", `${server.url}/elsewhere`]);
    expect(trusted.authorization).toBe(basic("bob:pw"));
  });
});

describe.concurrent("curl's short flags and the default User-Agent", () => {
  it(`sends User-Agent: sse-tool/<version>; -H 'User-Agent:' removes it`, async () => {
    expect((await echoed([`${server.url}/echo`]))["user-agent"]).toBe(
      `sse-tool/${packageJson.version}`,
    );
    expect(
      (await echoed(["-H", "User-Agent:", `${server.url}/echo`]))["user-agent"],
    ).toBeUndefined();
    expect((await echoed(["-H", "User-Agent: mine/1", `${server.url}/echo`]))["user-agent"]).toBe(
      "mine/1",
    );
  });

  it("-i shows the response status line and headers on stderr, not the request", async () => {
    const result = await runCli(["listen", "-i", "--no-reconnect", `${server.url}/echo`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^< HTTP\/1\.1 200 OK\n< content-type: text\/event-stream\n/);
    expect(result.stderr).not.toContain("> GET");
  });

  it("-o writes the events to a file; stdout stays empty, progress on stderr", async () => {
    const file = join(workDir, "events.txt");
    const result = await runCli([
      "listen",
      "--json",
      "--no-reconnect",
      "-o",
      file,
      `${server.url}/echo`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`sse-tool: connected to ${server.url}/echo\n`);
    expect(result.stderr).toContain("sse-tool: stream ended: 1 event");
    const line = JSON.parse(readFileSync(file, "utf8")) as { event: string };
    expect(line.event).toBe("message");
  });

  it("-o into a missing directory is one error line before anything is connected", async () => {
    const result = await runCli([
      "listen",
      "-o",
      join(workDir, "no/such/dir/x"),
      `${server.url}/echo?never-sent`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sse-tool: cannot write .*no\/such\/dir\/x: ENOENT\n$/);
    expect(server.requests.some((request) => request.url?.includes("never-sent"))).toBe(false);
  });

  it.each(["-s", "--silent", "-q"])(
    "%s: nothing on stderr on success, the error on failure",
    async (flag) => {
      const ok = await runCli(["listen", flag, "-v", "--no-reconnect", `${server.url}/echo`]);
      expect(ok.code).toBe(0);
      expect(ok.stderr).toBe("");
      expect(ok.stdout).toContain("message");
      const failed = await runCli(["listen", flag, "--no-reconnect", `${server.url}/denied`]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/^sse-tool: HTTP 401 Unauthorized from .*\n$/);
    },
  );
});
