/**
 * Issue 14 in a real browser: what a web page the developer visits can do to a `serve` running
 * on their machine. Headless Chromium, pages on other origins (`http://<name>.test:<port>`,
 * resolved to 127.0.0.1 by the browser; see test/helpers/browser.ts) and the built binary.
 * - reading: other origins get nothing unless `--cors` names them; loopback pages may;
 *   `withCredentials` works for a named origin;
 * - writing: the CORS "simple" POSTs a page can send without a preflight (text/plain fetch in
 *   no-cors mode, HTML forms) publish nothing, with any `--cors` setting;
 * - DNS rebinding: a page reaching the port through a name it controls gets 403 for all.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { connectSse, type SseConnection, startServeFor } from "../helpers/sse-client.js";

interface ReadState {
  received: string[];
  opens: number;
  errors: number;
  readyStateAfterError: number;
}

let browser: Browser;
/** Serves blank pages; the browser reaches it as evil.test, good.test, localhost, ... */
let pages: TestServer;
let pagesPort: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  browser = await launchChromium();
  pages = await startTestServer({
    "/page": (_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<!doctype html><title>a page</title><p>a web page the developer visits");
    },
  });
  pagesPort = new URL(pages.url).port;
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const serve = (args: string[]) => startServeFor(cleanups, args);

/** A fresh page at http://<host>:<pages port>/page. */
async function pageOn(host: string): Promise<Page> {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`http://${host}:${pagesPort}/page`);
  return page;
}

/** Opens an EventSource in the page and records what it gets. */
async function openEventSource(page: Page, url: string, withCredentials = false): Promise<void> {
  await page.evaluate(
    ({ url, withCredentials }) => {
      const state: ReadState = { received: [], opens: 0, errors: 0, readyStateAfterError: -1 };
      Object.assign(window, { state });
      const source = new EventSource(url, { withCredentials });
      source.onmessage = (event) => state.received.push(event.data);
      source.onopen = () => {
        state.opens++;
      };
      source.onerror = () => {
        state.errors++;
        state.readyStateAfterError = source.readyState;
      };
    },
    { url, withCredentials },
  );
}

async function readState(page: Page, until: string): Promise<ReadState> {
  await page.waitForFunction(
    (check) => {
      const state = (window as unknown as { state: ReadState }).state;
      return new Function("state", `return ${check}`)(state) as boolean;
    },
    until,
    { timeout: 15_000 },
  );
  return page.evaluate(() => (window as unknown as { state: ReadState }).state);
}

/** A client outside the browser that sees everything published. */
async function watch(url: string): Promise<SseConnection> {
  const watcher = await connectSse(url);
  cleanups.push(async () => watcher.close());
  return watcher;
}

describe("reading: CORS", () => {
  it("a page on another origin gets nothing by default; a loopback page does; --cors lets a named origin in", async () => {
    const byDefault = await serve(["--format", "ndjson", "--no-wait", "--replay-history"]);
    byDefault.write('{"data":"private"}');
    const evil = await pageOn("evil.test");
    await openEventSource(evil, byDefault.url);
    const refused = await readState(evil, "state.errors >= 1");
    expect(refused.readyStateAfterError).toBe(2);
    expect(refused.opens).toBe(0);
    expect(refused.received).toEqual([]);
    await byDefault.cli.waitForStderr(
      /403 for GET .* Origin "http:\/\/evil\.test:\d+" is not allowed/,
    );

    const local = await pageOn("localhost");
    await openEventSource(local, byDefault.url);
    expect((await readState(local, "state.received.length >= 1")).received).toEqual(["private"]);

    const named = await serve([
      "--format",
      "ndjson",
      "--no-wait",
      "--replay-history",
      "--cors",
      `http://evil.test:${pagesPort}`,
    ]);
    named.write('{"data":"shared on purpose"}');
    const allowed = await pageOn("evil.test");
    await openEventSource(allowed, named.url);
    expect((await readState(allowed, "state.received.length >= 1")).received).toEqual([
      "shared on purpose",
    ]);
  });

  it("new EventSource(url, {withCredentials: true}) from a --cors origin works (Allow-Credentials)", async () => {
    const origin = `http://app.test:${pagesPort}`;
    const { url, write } = await serve(["--format", "ndjson", "--no-wait", "--cors", origin]);
    const page = await pageOn("app.test");
    await openEventSource(page, url, true);
    await readState(page, "state.opens >= 1");
    write('{"data":"with cookies"}');
    const state = await readState(page, "state.received.length >= 1");
    expect(state.received).toEqual(["with cookies"]);
    expect(state.errors).toBe(0);
  });
});

describe("writing: a page on another origin publishes nothing", () => {
  for (const cors of [[], ["--cors", "https://good.example"], ["--no-cors"]]) {
    it(`simple POSTs (no-cors fetch, text/plain and form-encoded forms) are refused ${cors.join(" ") || "by default"}`, async () => {
      const { url, cli } = await serve(["--no-wait", ...cors]);
      const watcher = await watch(url);
      const page = await pageOn("evil.test");
      // fetch in no-cors mode: sent, the answer hidden from the page. Form-shaped bodies too.
      await page.evaluate(async (target) => {
        const bodies: Array<[string, string]> = [
          ["text/plain", '{"event":"pwned","data":"from fetch","retry":1}'],
          ["application/x-www-form-urlencoded", '{"event":"pwned","data":"urlencoded"}'],
        ];
        for (const [type, body] of bodies) {
          await fetch(target, {
            method: "POST",
            mode: "no-cors",
            headers: { "Content-Type": type },
            body,
          });
        }
      }, url);
      // An HTML form posting text/plain: the body can be made to look like JSON.
      await page.evaluate((target) => {
        for (const enctype of ["text/plain", "application/x-www-form-urlencoded"]) {
          // Each form into its own frame: a second submit into one frame cancels the first.
          const frame = document.createElement("iframe");
          frame.name = `sink-${enctype}`;
          document.body.append(frame);
          const form = document.createElement("form");
          form.method = "POST";
          form.action = target;
          form.enctype = enctype;
          form.target = frame.name;
          const input = document.createElement("input");
          input.name = '{"event":"pwned","data":"form","x":"';
          input.value = '"}';
          form.append(input);
          document.body.append(form);
          form.submit();
        }
      }, url);
      await cli.waitForStderr(/(403 for POST .*){4}/s);
      // The allowed way still works, so the refusals above are not a broken route.
      const answer = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: '{"data":"from a script on this machine"}',
      });
      expect(answer.status).toBe(202);
      await watcher.waitForEvents(1);
      expect(watcher.events.map((event) => [event.type, event.data])).toEqual([
        ["message", "from a script on this machine"],
      ]);
      expect(
        cli.stderr.match(
          /403 for POST from 127\.0\.0\.1:\d+: Origin "http:\/\/evil\.test:\d+" is not allowed/g,
        ),
      ).toHaveLength(4);
    });
  }
});

describe("DNS rebinding", () => {
  it("a page reached through a name it controls gets 403 for the page, the stream and publishing; --allowed-host lets a name in", async () => {
    const { url, origin, cli, write } = await serve([
      "--format",
      "ndjson",
      "--no-wait",
      "--replay-history",
    ]);
    write('{"data":"private"}');
    const watcher = await watch(url);
    const port = new URL(origin).port;
    const context = await browser.newContext();
    cleanups.push(() => context.close());
    const page = await context.newPage();
    // After rebinding, rebind.test points at 127.0.0.1: the page is now same-origin with serve.
    const viewer = await page.goto(`http://rebind.test:${port}/`);
    expect(viewer?.status()).toBe(403);
    const attempts = await page.evaluate(async () => {
      const stream = await fetch("/events", { headers: { "Last-Event-ID": "earliest" } });
      const publish = await fetch("/events", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: '{"data":"rebound"}',
      });
      return { stream: stream.status, body: await stream.text(), publish: publish.status };
    });
    expect(attempts.stream).toBe(403);
    expect(attempts.body).not.toContain("private");
    expect(attempts.publish).toBe(403);
    await cli.waitForStderr(/403 for POST .* Host "rebind\.test:\d+" is not allowed/);
    await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "marker" });
    await watcher.waitUntil(
      () => watcher.events.some((event) => event.data === "marker"),
      "marker",
    );
    expect(watcher.events.map((event) => event.data)).not.toContain("rebound");

    const allowed = await serve(["--no-wait", "--allowed-host", "dev-box.test"]);
    const allowedPage = await context.newPage();
    const shown = await allowedPage.goto(`http://dev-box.test:${new URL(allowed.origin).port}/`);
    expect(shown?.status()).toBe(200);
    expect(await allowedPage.title()).toBe("sse-tool · /events");
  });
});
