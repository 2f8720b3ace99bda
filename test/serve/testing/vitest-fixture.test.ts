/**
 * sse-tool/vitest used as a test file uses it: useSseServer() (a server per test, or per
 * file) and the `sse` fixture of its `test`, each with the journal at hand.
 */
import { describe, expect, it } from "vitest";
import { listen } from "../../../src/listen/library.js";
import { test, useSseServer } from "../../../src/serve/testing/vitest.js";

describe("useSseServer(), a server per test", () => {
  const sse = useSseServer({ ids: true, replayHistory: true, retry: 50, heartbeat: 0 });
  const urls: string[] = [];

  it("serves this test: the journal shows the client resumed with Last-Event-ID", async () => {
    urls.push(sse.url);
    for (let n = 1; n <= 3; n++) sse.publish({ data: `update ${n}` });
    const seen: string[] = [];
    for await (const event of listen(sse.url, { headers: { "SSE-Tool-Fault": "drop-after=2" } })) {
      seen.push(event.data);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(["update 1", "update 2", "update 3"]);
    const resumed = await sse.waitForRequest((request) => request.lastEventId === "2");
    expect(resumed.faults).toBe("drop-after=2");
  });

  it("gives the next test a server of its own, with an empty journal", () => {
    urls.push(sse.url);
    expect(urls[1]).not.toBe(urls[0]);
    expect(sse.requests).toEqual([]);
  });
});

describe("useSseServer({ scope: 'file' }), one server for the tests of the block", () => {
  const shared = useSseServer({ scope: "file", heartbeat: 0 });
  const urls: string[] = [];

  it("serves the first test", async () => {
    urls.push(shared.url);
    await (await fetch(shared.url, { method: "POST", body: "data: one\n\n" })).text();
  });

  it("serves the second with the same server and journal", async () => {
    expect(shared.url).toBe(urls[0]);
    const posted = await shared.waitForRequest((request) => request.method === "POST");
    expect(posted.body).toBe("data: one\n\n");
  });
});

describe("the `sse` fixture of sse-tool/vitest's test", () => {
  test("starts a server for the test and shows a POST body in its journal", async ({ sse }) => {
    const answer = await fetch(sse.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: "the user's message" }),
    });
    expect(answer.status).toBe(202);
    const request = await sse.waitForRequest((entry) => entry.method === "POST");
    expect(JSON.parse(request.body ?? "")).toEqual({ data: "the user's message" });
  });

  const withIds = test.override({ sseOptions: { ids: true, heartbeat: 0 } });
  withIds("takes its options from sseOptions", async ({ sse }) => {
    expect(sse.publish({ data: "numbered" })).toBe("1");
  });
});
