/**
 * Chromium's own `EventSource` against the built `serve`: a page on another origin, let in with
 * `--cors <its origin>` (issue 14: other origins get nothing by default), receives named and
 * unnamed events exactly (`--no-cors` stops it), the browser reconnects with `Last-Event-ID`
 * and gets exactly the events it missed, `retry:` sets its reconnection delay, and `?token=`
 * opens a `--token` stream. One browser for the whole file.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.js";
import { type CuttingProxy, startCuttingProxy } from "../helpers/cutting-proxy.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { connectSse, startServeFor } from "../helpers/sse-client.js";

/** What the page records; lives on `window`. */
interface PageState {
  received: Array<{ type: string; data: string; lastEventId: string; origin: string }>;
  opens: number;
  errors: number;
  readyStateAfterError: number;
}

let browser: Browser;
/** Serves the page the EventSource runs in: a different origin (host and port) than `serve`. */
let otherOrigin: TestServer;
/** That page's origin as the browser sees it: `http://page.test:<port>` (a .test name). */
let pageOrigin: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  browser = await launchChromium();
  otherOrigin = await startTestServer({
    "/page": (_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<!doctype html><title>another origin</title><p>EventSource test page");
    },
  });
  pageOrigin = `http://page.test:${new URL(otherOrigin.url).port}`;
});

afterAll(async () => {
  await browser?.close();
  await otherOrigin?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const serve = (args: string[]) => startServeFor(cleanups, args);

/** serve with retry: 50, let in the page's origin; the page's EventSource through a proxy. */
async function proxiedEventSource() {
  const served = await serve(["--format", "ndjson", "--retry", "50", "--cors", pageOrigin]);
  const proxy = await proxyTo(served.url);
  const page = await openEventSource(`${proxy.url}/events`);
  return { ...served, proxy, page };
}

async function proxyTo(streamUrl: string): Promise<CuttingProxy> {
  const proxy = await startCuttingProxy(Number(new URL(streamUrl).port));
  cleanups.push(() => proxy.close());
  return proxy;
}

/** A page on the other origin with an EventSource on `url`, listening for `names` too. */
async function openEventSource(url: string, names: string[] = []): Promise<Page> {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`${pageOrigin}/page`);
  await page.evaluate(
    ({ url, names }) => {
      const state: PageState = { received: [], opens: 0, errors: 0, readyStateAfterError: -1 };
      Object.assign(window, { state });
      const source = new EventSource(url);
      const record = (event: MessageEvent<string>) => {
        const { type, data, lastEventId, origin } = event;
        state.received.push({ type, data, lastEventId, origin });
      };
      source.onmessage = record;
      for (const name of names) source.addEventListener(name, record);
      source.onopen = () => {
        state.opens++;
      };
      source.onerror = () => {
        state.errors++;
        state.readyStateAfterError = source.readyState;
      };
    },
    { url, names },
  );
  return page;
}

function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => (window as unknown as { state: PageState }).state);
}

/** Waits (in the page, no polling from here) until `check(state)` holds. */
async function waitForState(page: Page, check: string, arg: number): Promise<PageState> {
  await page.waitForFunction(
    ({ check, arg }) => {
      const state = (window as unknown as { state: PageState }).state;
      return new Function("state", "arg", `return ${check}`)(state, arg) as boolean;
    },
    { check, arg },
    { timeout: 15_000 },
  );
  return pageState(page);
}

const receivedAtLeast = "state.received.length >= arg";
const opensAtLeast = "state.opens >= arg";

describe("Chromium EventSource against serve", () => {
  it("a cross-origin page receives named, unnamed, multi-line, empty and JSON data exactly", async () => {
    const json = { user: { name: "Ada", tags: ["a", "b"] }, n: 1.5, text: "Grüße 👋" };
    const lines = [
      { event: "greeting", data: "hello", id: "1" },
      { data: "plain message", id: "2" },
      { event: "log", data: "line one\nline two\r\n\nline four", id: "3" },
      { event: "json", data: json, id: "4" },
      { data: "  two leading spaces: kept", id: "5" },
      { data: "", id: "6" },
    ];
    const { url, origin, write } = await serve(["--format", "ndjson", "--cors", pageOrigin]);
    const page = await openEventSource(url, ["greeting", "log", "json"]);
    expect(origin).not.toBe(pageOrigin);
    // serve waits for its first client (the browser) before reading stdin.
    for (const line of lines) write(JSON.stringify(line));
    const final = await waitForState(page, receivedAtLeast, 6);
    expect(final.received).toEqual([
      { type: "greeting", data: "hello", lastEventId: "1", origin },
      { type: "message", data: "plain message", lastEventId: "2", origin },
      { type: "log", data: "line one\nline two\n\nline four", lastEventId: "3", origin },
      { type: "json", data: JSON.stringify(json), lastEventId: "4", origin },
      { type: "message", data: "  two leading spaces: kept", lastEventId: "5", origin },
      { type: "message", data: "", lastEventId: "6", origin },
    ]);
    expect(JSON.parse(final.received[3]?.data ?? "")).toEqual(json);
    expect(final.errors).toBe(0);
  });

  it("--no-cors: the cross-origin EventSource fails and receives nothing", async () => {
    const { url, write } = await serve(["--format", "ndjson", "--no-cors"]);
    write('{"data":"never seen"}');
    const page = await openEventSource(url);
    // A failed CORS check fails the connection for good: readyState CLOSED, no reconnect.
    const state = await waitForState(page, "state.errors >= arg", 1);
    expect(state.readyStateAfterError).toBe(2);
    expect(state.opens).toBe(0);
    expect(state.received).toEqual([]);
  });

  it("reconnects after the connection drops and gets exactly the missed events", async () => {
    const { url, write, proxy, page } = await proxiedEventSource();
    await proxy.request(1);
    const watcher = await connectSse(url); // sees every event: tells when one is in history
    cleanups.push(async () => watcher.close());
    write('{"data":"one","id":"1"}');
    write('{"data":"two","id":"2"}');
    await waitForState(page, receivedAtLeast, 2);

    // Cut the browser off and hold its reconnection until events 3 and 4 were published.
    proxy.hold();
    proxy.cut();
    write('{"data":"three","id":"3"}');
    write('{"data":"four","id":"4"}');
    await watcher.waitForEvents(4);
    const reconnect = await proxy.request(2);
    expect(reconnect.header("last-event-id")).toBe("2");
    proxy.release();

    await waitForState(page, receivedAtLeast, 4);
    write('{"data":"five","id":"5"}');
    const state = await waitForState(page, receivedAtLeast, 5);
    expect(state.received.map((event) => [event.data, event.lastEventId])).toEqual([
      ["one", "1"],
      ["two", "2"],
      ["three", "3"],
      ["four", "4"],
      ["five", "5"],
    ]);
    expect(state.opens).toBe(2);
    expect(state.errors).toBeGreaterThanOrEqual(1);
  });

  it("retry: sets how long the browser waits before reconnecting", async () => {
    const { write, proxy, page } = await proxiedEventSource();
    write('{"data":"a","id":"1"}');
    await waitForState(page, receivedAtLeast, 1);

    // retry: 50 from --retry, sent to each new client.
    const firstCutMs = proxy.cut();
    const fastGapMs = (await proxy.request(2)).atMs - firstCutMs;
    await waitForState(page, opensAtLeast, 2);

    // retry: 1000 sent mid-stream in an event.
    write('{"retry":1000,"data":"slow down","id":"2"}');
    await waitForState(page, receivedAtLeast, 2);
    const secondCutMs = proxy.cut();
    const slowGapMs = (await proxy.request(3)).atMs - secondCutMs;
    await waitForState(page, opensAtLeast, 3);

    expect(slowGapMs).toBeGreaterThan(fastGapMs);
    expect(slowGapMs).toBeGreaterThanOrEqual(900);
    // Far below the 3 s a browser waits when told nothing.
    expect(fastGapMs).toBeLessThan(900);
  });

  it("--token: EventSource with ?token= receives, without it fails; the page can publish", async () => {
    const { url, write } = await serve([
      "--format",
      "ndjson",
      "--token",
      "s3cret",
      "--cors",
      pageOrigin,
    ]);
    write('{"event":"secret","data":"for token holders","id":"t1"}');
    const denied = await openEventSource(url, ["secret"]);
    const deniedState = await waitForState(denied, "state.errors >= arg", 1);
    // A 401 fails the connection for good (no reconnect), and it is no client for serve.
    expect(deniedState.readyStateAfterError).toBe(2);
    expect(deniedState.received).toEqual([]);

    const allowed = await openEventSource(`${url}?token=s3cret`, ["secret"]);
    const allowedState = await waitForState(allowed, receivedAtLeast, 1);
    expect(allowedState.received.map((event) => event.data)).toEqual(["for token holders"]);
    expect(allowedState.opens).toBe(1);

    // The cross-origin page publishes too: JSON and Authorization need a CORS preflight.
    const answer = await allowed.evaluate(async (streamUrl) => {
      const response = await fetch(streamUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer s3cret" },
        body: JSON.stringify({ event: "secret", data: "from the page", id: "t2" }),
      });
      return { status: response.status, body: await response.json() };
    }, url);
    expect(answer).toEqual({ status: 202, body: { published: 1, ids: ["t2"] } });
    const published = await waitForState(allowed, receivedAtLeast, 2);
    expect(published.received[1]).toMatchObject({ type: "secret", data: "from the page" });
  });
});
