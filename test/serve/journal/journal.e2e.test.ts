/**
 * The request journal of a test server: what each client sent, asserted the ways tests need
 * it: the Last-Event-ID a reconnect carried, the body of a POST, secrets redacted, a bounded
 * ring, waitForRequest() and its timeout, and the journal over HTTP for a test in another
 * process (the built `serve`), behind the same gate as every route.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SseToolError } from "../../../src/errors.js";
import { listen } from "../../../src/listen/library.js";
import { startServer } from "../../../src/serve/library.js";
import type { ServerOptions } from "../../../src/serve/library-options.js";
import { startServeFor } from "../../helpers/sse-client.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: ServerOptions = {}) {
  const started = await startServer({ heartbeat: 0, ...options });
  cleanups.push(() => started.close());
  return started;
}

describe("server.requests and waitForRequest()", () => {
  it("show the Last-Event-ID a client resumed with after a cut", async () => {
    const sse = await server({ ids: true, replayHistory: true, retry: 50, dropAfter: 2 });
    for (let n = 1; n <= 3; n++) sse.publish({ data: `update ${n}` });
    const seen: string[] = [];
    for await (const event of listen(sse.url, { headers: { "X-Test": "resume" } })) {
      seen.push(event.data);
      if (seen.length === 3) break;
    }
    const resumed = await sse.waitForRequest((request) => request.lastEventId !== undefined);
    expect(resumed.lastEventId).toBe("2");
    expect(resumed.headers["last-event-id"]).toBe("2");
    expect(resumed.headers["x-test"]).toBe("resume");
    const first = await sse.waitForRequest(
      (request) => request.seq === 1 && request.ended !== undefined,
    );
    expect(first).toMatchObject({ method: "GET", path: "/events", status: 200, ended: "cut" });
    expect(first.lastEventId).toBeUndefined();
    expect(first.endedAt).toBeGreaterThanOrEqual(first.startedAt);
  });

  it("show a POST's body once the route read it, and its answer", async () => {
    const sse = await server();
    const posted = fetch(sse.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ event: "chat", data: "hello from the user" }),
    });
    const request = await sse.waitForRequest(
      (entry) => entry.method === "POST" && entry.ended !== undefined,
    );
    expect((await posted).status).toBe(202);
    expect(JSON.parse(request.body ?? "")).toEqual({ event: "chat", data: "hello from the user" });
    expect(request.bodyBytes).toBe(Buffer.byteLength(request.body ?? ""));
    expect(request).toMatchObject({ status: 202, ended: "finished" });
    expect(request.bodyTruncated).toBeUndefined();
  });

  it("redact the token in the headers and in the query", async () => {
    const sse = await server({ token: "s3cret-token-value" });
    await fetch(`${sse.url}?token=s3cret-token-value&room=7`, { method: "POST", body: "x" });
    await fetch(sse.url, {
      method: "POST",
      headers: { Authorization: "Bearer s3cret-token-value", "X-Api-Key": "k-123456" },
      body: "data: x\n\n",
    });
    const text = JSON.stringify(sse.requests);
    expect(text).not.toContain("s3cret");
    expect(text).not.toContain("k-123456");
    expect(sse.requests[0]!.path).toBe("/events?token=[redacted]&room=7");
    expect(sse.requests[1]!.headers.authorization).toBe("Bearer [redacted, 18 characters]");
  });

  it("keep only the last `journal` requests", async () => {
    const sse = await server({ journal: 3 });
    for (let n = 1; n <= 5; n++) await (await fetch(`${new URL(sse.url).origin}/nope-${n}`)).text();
    expect(sse.requests.map((request) => [request.seq, request.path, request.status])).toEqual([
      [3, "/nope-3", 404],
      [4, "/nope-4", 404],
      [5, "/nope-5", 404],
    ]);
    const none = await server({ journal: 0 });
    await (await fetch(`${new URL(none.url).origin}/nope`)).text();
    expect(none.requests).toEqual([]);
  });

  it("waitForRequest rejects with a timeout error when nothing matches", async () => {
    const sse = await server();
    const waited = sse.waitForRequest((request) => request.method === "DELETE", { timeout: 50 });
    await expect(waited).rejects.toBeInstanceOf(SseToolError);
    await expect(waited).rejects.toMatchObject({ code: "timeout" });
  });

  it("copies: a test changing what it got does not change the journal", async () => {
    const sse = await server();
    await (await fetch(`${new URL(sse.url).origin}/nope`)).text();
    const [entry] = sse.requests;
    entry!.headers.host = "changed";
    expect(sse.requests[0]!.headers.host).not.toBe("changed");
  });
});

describe("GET /.well-known/sse-tool/requests", () => {
  it("lists what clients sent to a serve in another process, after a seq if asked", async () => {
    const served = await startServeFor(cleanups, ["--no-wait", "--journal", "10"]);
    const journalUrl = `${served.origin}/.well-known/sse-tool/requests`;
    await (await fetch(served.url, { method: "POST", body: "data: hi\n\n" })).text();
    await (await fetch(`${served.origin}/missing`)).text();
    const all = (await (await fetch(journalUrl)).json()) as {
      requests: Array<{ seq: number; method: string; path: string; body?: string }>;
    };
    expect(all.requests.map((request) => [request.method, request.path])).toEqual([
      ["POST", "/events"],
      ["GET", "/missing"],
    ]);
    expect(all.requests[0]!.body).toBe("data: hi\n\n");
    const later = (await (await fetch(`${journalUrl}?after=1`)).json()) as {
      requests: Array<{ seq: number }>;
    };
    expect(later.requests.map((request) => request.seq)).toEqual([2]);
    expect((await fetch(`${journalUrl}?after=x`)).status).toBe(400);
  });

  it("is behind the same gate and token as every route", async () => {
    const served = await startServeFor(cleanups, ["--no-wait", "--token", "tok-123456"]);
    const journalUrl = `${served.origin}/.well-known/sse-tool/requests`;
    expect((await fetch(journalUrl)).status).toBe(401);
    expect((await fetch(served.url)).status).toBe(401);
    const evil = await fetch(journalUrl, {
      headers: { Authorization: "Bearer tok-123456", Origin: "https://evil.example" },
    });
    expect(evil.status).toBe(403);
    const allowed = await fetch(journalUrl, { headers: { Authorization: "Bearer tok-123456" } });
    expect(allowed.status).toBe(200);
    const { requests } = (await allowed.json()) as { requests: Array<{ status: number }> };
    // A refused request is there too; the journal's own reads, let in or not, are not.
    expect(requests.map((request) => request.status)).toEqual([401]);
  });
});
