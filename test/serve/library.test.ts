/**
 * The library's `startServer(options)` (src/serve/start-server.ts), in-process: the server
 * `serve` runs, on a free loopback port, with serve's safe defaults (Host checked, loopback
 * origins, the token), events published from code, history and ids, faults and replay; it
 * prints nothing and exits nothing.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SseToolError } from "../../src/errors.js";
import { listen } from "../../src/listen/library.js";
import { startServer } from "../../src/serve/library.js";
import type { RunningServer, ServerOptions } from "../../src/serve/library-options.js";
import { httpRequestText, rawRequest } from "../helpers/raw-http.js";
import { connectSse } from "../helpers/sse-client.js";

const running: RunningServer[] = [];
const writes = {
  stdout: vi.spyOn(process.stdout, "write"),
  stderr: vi.spyOn(process.stderr, "write"),
};

afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  expect(writes.stdout).not.toHaveBeenCalled();
  expect(writes.stderr).not.toHaveBeenCalled();
  vi.clearAllMocks();
});

async function start(options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ heartbeat: 0, ...options });
  running.push(server);
  return server;
}

describe("startServer()", () => {
  it("listens on a free loopback port and streams what is published", async () => {
    const server = await start({ ids: true });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/events$/);
    expect(new URL(server.url).port).not.toBe("0");
    const client = await connectSse(server.url);
    await vi.waitFor(() => expect(server.clientCount).toBe(1));
    expect(server.publish({ event: "greeting", data: "hello" })).toBe("1");
    expect(server.publish({ data: { n: 2 }, id: "custom" })).toBe("custom");
    expect(server.publish({ comment: "just a note" })).toBe("3");
    await client.waitForEvents(2);
    expect(client.events).toEqual([
      { type: "greeting", data: "hello", lastEventId: "1" },
      { type: "message", data: '{"n":2}', lastEventId: "custom" },
    ]);
    await server.close();
    await client.closed;
    expect(client.response.complete).toBe(true);
  });

  it("keeps serve's safe defaults: Host checked, loopback origins only", async () => {
    const server = await start();
    const { origin } = new URL(server.url);
    const ask = (headers: Record<string, string>) =>
      rawRequest(
        origin,
        httpRequestText("GET", "/events", { Host: "127.0.0.1", ...headers }),
        (text) => text.includes("\r\n\r\n"),
      );
    expect((await ask({ Host: "attacker.example" })).status).toBe(403);
    expect((await ask({ Origin: "https://attacker.example" })).status).toBe(403);
    const loopbackPage = await ask({ Origin: "http://localhost:3000" });
    expect(loopbackPage.status).toBe(200);
    expect(loopbackPage.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    const post = await rawRequest(
      origin,
      httpRequestText(
        "POST",
        "/events",
        { Host: "127.0.0.1", Origin: "https://attacker.example", "Content-Type": "text/plain" },
        "x",
      ),
    );
    expect(post.status).toBe(403);
  });

  it("takes a token, and other origins only when named", async () => {
    const server = await start({ token: "s3cret", cors: ["https://app.example"] });
    const { origin } = new URL(server.url);
    const ask = (headers: Record<string, string>, target = "/events") =>
      rawRequest(
        origin,
        httpRequestText("GET", target, { Host: "127.0.0.1", ...headers }),
        (text) => text.includes("\r\n\r\n"),
      );
    expect((await ask({})).status).toBe(401);
    expect((await ask({ Authorization: "Bearer s3cret" })).status).toBe(200);
    expect((await ask({}, "/events?token=s3cret")).status).toBe(200);
    const app = await ask({ Origin: "https://app.example", Authorization: "Bearer s3cret" });
    expect(app.headers["access-control-allow-origin"]).toBe("https://app.example");
  });

  it("refuses options that make no sense with an SseToolError (usage)", async () => {
    const refused: Array<[ServerOptions, string]> = [
      [{ stallAfter: 2 }, "--stall-after and --stall-for go together"],
      [{ failStatus: 500 }, "--fail-status needs --fail-first"],
      [{ cors: ["app.example"] }, "expected an origin"],
      [{ token: "" }, "token"],
      [{ speed: 2 }, "--speed applies to --replay"],
    ];
    for (const [options, message] of refused) {
      const error = await startServer(options).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error, JSON.stringify(options)).toBeInstanceOf(SseToolError);
      expect((error as SseToolError).code).toBe("usage");
      expect((error as SseToolError).message).toContain(message);
    }
    const server = await start();
    expect(() => server.publish({ id: "a\nb", data: "x" })).toThrow(
      /cannot publish: id must not contain/,
    );
  });

  it("a port in use is an SseToolError (listen)", async () => {
    const server = await start();
    const port = Number(new URL(server.url).port);
    await expect(startServer({ port })).rejects.toMatchObject({ code: "listen" });
  });

  it("runs the faults: the library's listen() resumes each cut and sees every event once", async () => {
    const logs: string[] = [];
    const server = await start({
      ids: true,
      replayHistory: true,
      retry: 20,
      dropAfter: 3,
      chunkSplit: "random",
      onLog: (line) => logs.push(line),
    });
    for (let n = 1; n <= 8; n++) server.publish({ data: `update ${n}` });
    const seen: string[] = [];
    for await (const event of listen(server.url)) {
      seen.push(`${event.lastEventId}:${event.data}`);
      if (seen.length === 8) break;
    }
    expect(seen).toEqual(
      Array.from({ length: 8 }, (_, index) => `${index + 1}:update ${index + 1}`),
    );
    expect(logs.filter((line) => line.startsWith("fault: --drop-after 3: cut"))).toHaveLength(2);
  });

  it("replays a recording, and publishes nothing into it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sse-tool-start-replay-"));
    try {
      const file = join(dir, "r.jsonl");
      await writeFile(
        file,
        [
          '{"type":"recording","version":1,"started":""}',
          '{"type":"request","t":0,"method":"GET","url":"http://x/","headers":{}}',
          '{"type":"response","t":1,"status":200,"statusText":"OK","url":"http://x/","headers":{"content-type":"text/event-stream"}}',
          '{"type":"chunk","t":2,"text":"id: 1\\ndata: recorded\\n\\n"}',
          '{"type":"disconnect","t":3,"reason":"ended"}',
          "",
        ].join("\n"),
      );
      const server = await start({ replay: file, speed: "max" });
      const events = [];
      for await (const event of listen(server.url, { reconnect: false })) events.push(event);
      expect(events).toEqual([{ type: "message", data: "recorded", lastEventId: "1" }]);
      expect(() => server.publish({ data: "x" })).toThrow(SseToolError);
      await expect(startServer({ replay: join(dir, "missing.jsonl") })).rejects.toMatchObject({
        code: "input",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
