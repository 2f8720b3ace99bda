/**
 * Chromium's own EventSource against a server started from test code with the library's
 * startServer(), under each of serve's faults: with ids and history, the page sees every event
 * exactly once. The page is on another origin (an app's page), let in with `cors` (the docs'
 * Playwright example: playwright-fixture.system.test.ts). One browser for the file.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/serve/library.js";
import type { RunningServer, ServerOptions } from "../../src/serve/library-options.js";
import { launchChromium } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";

/** What the page records; lives on `window`. */
interface PageState {
  received: Array<{ data: string; lastEventId: string; atMs: number }>;
  opened: number;
  errors: number;
  createdAtMs: number;
}

let browser: Browser;
let appPages: TestServer;
let pageOrigin: string;
const cleanups: Array<() => Promise<unknown>> = [];
const count = 10;
const dataOf = (n: number) => `Grüße 👋 item ${n}`;
const expected = Array.from({ length: count }, (_, index) => [
  dataOf(index + 1),
  String(index + 1),
]);

beforeAll(async () => {
  browser = await launchChromium();
  appPages = await startTestServer({
    "/app": (_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<!doctype html><title>an app</title><p>the app under test");
    },
  });
  pageOrigin = `http://app.test:${new URL(appPages.url).port}`;
});

afterAll(async () => {
  await browser?.close();
  await appPages?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server with the events numbered and kept, sent to each new client, `retry: 50`. */
async function serverWith(faults: ServerOptions, logs: string[] = []): Promise<RunningServer> {
  const server = await startServer({
    ids: true,
    replayHistory: true,
    retry: 50,
    heartbeat: 0,
    cors: [pageOrigin],
    onLog: (line) => logs.push(line),
    ...faults,
  });
  cleanups.push(() => server.close());
  for (let n = 1; n <= count; n++) server.publish({ data: dataOf(n) });
  return server;
}

/**
 * The app's page with an EventSource on `url`; like an app, it opens a new one when the old
 * one gave up (an error status fails an EventSource for good).
 */
async function openApp(url: string): Promise<Page> {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`${pageOrigin}/app`);
  await page.evaluate((streamUrl) => {
    const state: PageState = { received: [], opened: 0, errors: 0, createdAtMs: performance.now() };
    Object.assign(window, { state });
    const open = () => {
      state.opened++;
      const source = new EventSource(streamUrl);
      source.onmessage = (event) => {
        state.received.push({
          data: event.data,
          lastEventId: event.lastEventId,
          atMs: performance.now(),
        });
      };
      source.onerror = () => {
        state.errors++;
        if (source.readyState === EventSource.CLOSED) setTimeout(open, 50);
      };
    };
    open();
  }, url);
  return page;
}

async function receivedAll(page: Page): Promise<PageState> {
  await page.waitForFunction(
    (wanted) => (window as unknown as { state: PageState }).state.received.length >= wanted,
    count,
    { timeout: 15_000 },
  );
  return page.evaluate(() => (window as unknown as { state: PageState }).state);
}

const dataAndIds = (state: PageState) =>
  state.received.map((event) => [event.data, event.lastEventId]);

describe("Chromium's EventSource under serve's faults", () => {
  it("dropAfter: reconnects with Last-Event-ID after each cut and loses nothing", async () => {
    const logs: string[] = [];
    const server = await serverWith({ dropAfter: 3 }, logs);
    const state = await receivedAll(await openApp(server.url));
    expect(dataAndIds(state)).toEqual(expected);
    expect(state.opened).toBe(1);
    expect(state.errors).toBeGreaterThanOrEqual(3);
    // At least one cut per 3 events. When a response's head, events and cut arrive together,
    // Chromium may fail the connection without dispatching them (seen in 5 of 61 runs on a busy
    // machine, on the first connection) and reconnect from the id before them: one cut more,
    // nothing lost, nothing twice (above). Each resume starts at or after the one before it,
    // and the last one leaves fewer than 3 events, so it is never cut.
    const cuts = logs.filter((line) => line.startsWith("fault: --drop-after 3: cut"));
    expect(cuts.length).toBeGreaterThanOrEqual(3);
    for (const cut of cuts) expect(cut).toMatch(/ after 3 events$/);
    const resumedFrom = logs.flatMap((line) => {
      const match = /Last-Event-ID "(\d+)": \d+ missed events sent/.exec(line);
      return match === null ? [] : [Number(match[1])];
    });
    expect(resumedFrom.length).toBeGreaterThanOrEqual(3);
    expect(resumedFrom).toEqual([...resumedFrom].sort((a, b) => a - b));
    expect(count - resumedFrom.at(-1)!).toBeLessThan(3);
  });

  it("stallAfter / stallFor: waits out the stall", async () => {
    const server = await serverWith({ stallAfter: 4, stallFor: 1000 });
    const state = await receivedAll(await openApp(server.url));
    expect(dataAndIds(state)).toEqual(expected);
    // The 1 s stall, less how late the event before it arrived (a busy machine).
    expect(state.received[4]!.atMs - state.received[3]!.atMs).toBeGreaterThanOrEqual(800);
    expect(state.errors).toBe(0);
  });

  it("failFirst: the app opens a new EventSource after each failure and gets everything once", async () => {
    const server = await serverWith({ failFirst: 2 });
    const state = await receivedAll(await openApp(server.url));
    expect(dataAndIds(state)).toEqual(expected);
    expect(state.opened).toBe(3);
  });

  it("chunkSplit random: decodes pieces cut inside lines and characters", async () => {
    const server = await serverWith({ chunkSplit: "random" });
    const state = await receivedAll(await openApp(server.url));
    expect(dataAndIds(state)).toEqual(expected);
  });

  it("latency: everything arrives, the first event no sooner than the latency", async () => {
    const server = await serverWith({ latency: 300 });
    const state = await receivedAll(await openApp(server.url));
    expect(dataAndIds(state)).toEqual(expected);
    expect(state.received[0]!.atMs - state.createdAtMs).toBeGreaterThanOrEqual(290);
  });
});
