/**
 * The viewer page `serve` returns at `GET /`, in headless Chromium against the built binary:
 * events appear in the DOM (count, names, ids, JSON pretty-printed, server text never parsed
 * as HTML, bidi overrides shown as escapes), pause, the event-name filter and the search (in
 * data, raw lines and comments) work, the connection state follows the server and each
 * reconnection is marked, the kept history is shown on load, `?token=` is passed on (and the
 * URL printed for `--token` works), the export is NDJSON that `serve` reads back, and `--no-ui`
 * turns the page off. Saves a screenshot to test/.tmp/.
 */
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createInputParser } from "../../src/serve/input/formats.js";
import { renderViewerPage } from "../../src/serve/viewer/page.js";
import { launchChromium, testTmpFile } from "../helpers/browser.js";
import { startCuttingProxy } from "../helpers/cutting-proxy.js";
import { eventStreamHeaders, startTestServer } from "../helpers/http-test-server.js";
import { startServe, startServeFor } from "../helpers/sse-client.js";

let browser: Browser;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const serve = (args: string[]) => startServeFor(cleanups, args);

async function openViewer(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  cleanups.push(async () => expect(pageErrors).toEqual([]));
  await page.goto(url);
  return page;
}

async function waitForRows(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll(".event").length === n, count);
}

/** The text of the visible lines of the raw or comments view, newest first. */
function shownLines(page: Page, list: "#raw" | "#comments"): Promise<string[]> {
  return page.$$eval(`${list} li:not([hidden]) .line-text`, (items) =>
    items.map((item) => item.textContent ?? ""),
  );
}

interface Row {
  name: string;
  id: string;
  data: string;
  hidden: boolean;
}

function rows(page: Page): Promise<Row[]> {
  return page.$$eval(".event", (elements) =>
    elements.map((element) => ({
      name: element.querySelector(".event-name")?.textContent ?? "",
      id: element.querySelector(".event-id")?.textContent ?? "",
      data: element.querySelector(".event-data")?.textContent ?? "",
      // The DOM types allow "until-found" too; any value but false hides the row.
      hidden: (element as HTMLElement).hidden !== false,
    })),
  );
}

const sample = [
  { event: "user.created", id: "1", data: { id: 42, name: "Ada Lovelace", roles: ["admin"] } },
  { id: "2", data: "plain text with <b>markup</b> & entities" },
  { event: "log", id: "3", data: "line one\nline two" },
  { event: "price", id: "4", data: { symbol: "ACME", price: 12.5 } },
  { event: "price", id: "5", data: { symbol: "ACME", price: 12.75 } },
];

describe("viewer page", () => {
  it("shows the live stream: names, ids, pretty JSON, counter, pause, filter, state", async () => {
    const { origin, write, cli } = await serve(["--format", "ndjson", "--retry", "50"]);
    const page = await openViewer(`${origin}/`);
    expect(await page.title()).toBe("sse-tool · /events");
    for (const line of sample) write(JSON.stringify(line));
    await waitForRows(page, 5);
    expect(await page.textContent("#state")).toBe("open");
    expect(await page.textContent("#count")).toBe("5 events");

    // Newest first; the id column is the event's last event ID.
    expect(await rows(page)).toEqual([
      {
        name: "price",
        id: "5",
        data: '{\n  "symbol": "ACME",\n  "price": 12.75\n}',
        hidden: false,
      },
      { name: "price", id: "4", data: '{\n  "symbol": "ACME",\n  "price": 12.5\n}', hidden: false },
      { name: "log", id: "3", data: "line one\nline two", hidden: false },
      {
        name: "message",
        id: "2",
        data: "plain text with <b>markup</b> & entities",
        hidden: false,
      },
      {
        name: "user.created",
        id: "1",
        data: JSON.stringify(sample[0]?.data, null, 2),
        hidden: false,
      },
    ]);
    // Server text is text, never markup.
    expect(await page.$$(".event-data b")).toHaveLength(0);

    const screenshot = await testTmpFile("viewer-page.png");
    await page.screenshot({ path: screenshot });

    // Pause: new events are counted but not shown until resumed.
    await page.click("#pause");
    expect(await page.getAttribute("#pause", "aria-pressed")).toBe("true");
    write(JSON.stringify({ event: "price", id: "6", data: { symbol: "ACME", price: 13 } }));
    write(JSON.stringify({ event: "alert", id: "7", data: "while paused" }));
    await page.waitForFunction(
      () => document.querySelector("#count")?.textContent === "7 events · 2 new",
    );
    expect(await page.locator(".event").count()).toBe(5);
    await page.click("#pause");
    await waitForRows(page, 7);
    expect(await page.textContent("#count")).toBe("7 events");
    expect((await rows(page)).slice(0, 2).map((row) => row.name)).toEqual(["alert", "price"]);

    // Filter by event name (substring, case-insensitive); later events are filtered too.
    await page.fill("#filter", "PRI");
    expect((await rows(page)).filter((row) => !row.hidden).map((row) => row.id)).toEqual([
      "6",
      "5",
      "4",
    ]);
    expect(await page.textContent("#count")).toBe("7 events (3 shown)");
    write(JSON.stringify({ event: "log", id: "8", data: "hidden by the filter" }));
    await waitForRows(page, 8);
    expect((await rows(page))[0]).toMatchObject({ name: "log", hidden: true });
    await page.screenshot({ path: await testTmpFile("viewer-page-filtered.png") });
    await page.fill("#filter", "");
    expect((await rows(page)).every((row) => !row.hidden)).toBe(true);

    // The server goes away: the page says it is reconnecting.
    cli.kill();
    await cli.exited;
    await page.waitForFunction(() =>
      document.querySelector("#state")?.textContent?.startsWith("reconnecting"),
    );
  });

  it("passes ?token= on to the stream, and says so when the token is missing", async () => {
    const { origin, write } = await serve(["--format", "ndjson", "--token", "s3cret"]);
    const withoutToken = await openViewer(`${origin}/`);
    await withoutToken.waitForFunction(
      () => document.querySelector("#state")?.getAttribute("data-state") === "failed",
    );
    expect(await withoutToken.textContent("#state")).toMatch(/unauthorized.*\?token=/);

    const withToken = await openViewer(`${origin}/?token=s3cret`);
    write(JSON.stringify({ event: "secret", data: "shown", id: "1" }));
    await waitForRows(withToken, 1);
    expect(await rows(withToken)).toEqual([
      { name: "secret", id: "1", data: "shown", hidden: false },
    ]);
  });

  it("is a self-contained HTML page, and --no-ui turns it off (404)", async () => {
    const withUi = await serve(["--no-wait"]);
    const page = await fetch(`${withUi.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//);

    await withUi.cli.waitForStderr(`sse-tool: viewer page: ${withUi.origin}/\n`);

    const withoutUi = await serve(["--no-wait", "--no-ui"]);
    expect((await fetch(`${withoutUi.origin}/`)).status).toBe(404);
    expect(withoutUi.cli.stderr).not.toContain("viewer page");
  });

  it("reads a tricky stream exactly as Chromium's own EventSource does", async () => {
    // Fed in pieces: BOM, CRLF split across chunks, comments, no-space and two-space values,
    // an id-only block, an id with NUL (ignored), a bad retry, lone CR, a field without colon,
    // an id reset, and an unfinished last block (discarded).
    const chunks = [
      "\uFEFFretry: 60000\ndata: first\r",
      "\n\r\n: a comment\n",
      "event: named\ndata:no space\ndata:  two spaces\n\n",
      "id: 7\n\ndata: after id-only\n\n",
      "id: bad\u0000id\ndata: nul id ignored\n\n",
      "retry: abc\ndata: x\r\r",
      "field-without-colon\ndata\n\nid\ndata: id reset\n\n",
      "data: unfinished",
    ];
    const server = await startTestServer({
      "/": (_request, response) => {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(renderViewerPage({ streamPath: "/tricky" }));
      },
      "/blank": (_request, response) => {
        response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html>");
      },
      "/tricky": (_request, response) => {
        response.writeHead(200, eventStreamHeaders);
        const writeNext = (index: number) => {
          if (index === chunks.length) response.end();
          else response.write(chunks[index], () => setImmediate(() => writeNext(index + 1)));
        };
        writeNext(0);
      },
    });
    cleanups.push(() => server.close());

    const viewer = await openViewer(`${server.url}/`);
    const reference = await openViewer(`${server.url}/blank`);
    const fromEventSource = await reference.evaluate(
      () =>
        new Promise<Array<{ name: string; id: string; data: string }>>((resolve) => {
          const seen: Array<{ name: string; id: string; data: string }> = [];
          const source = new EventSource("/tricky");
          const record = (event: MessageEvent<string>) => {
            seen.push({ name: event.type, id: event.lastEventId, data: event.data });
          };
          source.onmessage = record;
          source.addEventListener("named", record);
          source.onerror = () => {
            source.close();
            resolve(seen);
          };
        }),
    );
    expect(fromEventSource).toEqual([
      { name: "message", id: "", data: "first" },
      { name: "named", id: "", data: "no space\n two spaces" },
      { name: "message", id: "7", data: "after id-only" },
      { name: "message", id: "7", data: "nul id ignored" },
      { name: "message", id: "7", data: "x" },
      { name: "message", id: "7", data: "" },
      { name: "message", id: "", data: "id reset" },
    ]);
    await viewer.waitForFunction(() =>
      document.querySelector("#state")?.textContent?.startsWith("reconnecting"),
    );
    const shown = (await rows(viewer)).reverse().map(({ name, id, data }) => ({ name, id, data }));
    expect(shown).toEqual(fromEventSource);
  });

  it("shows the kept history on load (Last-Event-ID: earliest), again after a reload", async () => {
    const { origin, cli } = await startServe(["--format", "ndjson", "--no-wait", "--ids"], {
      stdin: ["one", "two", "three"].map((data) => JSON.stringify({ data })).join("\n"),
    });
    cleanups.push(async () => {
      cli.kill();
      await cli.exited;
    });
    await cli.waitForStderr(/<stdin> ended after 3 events/);
    const page = await openViewer(`${origin}/`);
    await waitForRows(page, 3);
    await cli.waitForStderr(/Last-Event-ID "earliest": all 3 kept events sent/);
    await page.reload();
    await waitForRows(page, 3);
    expect((await rows(page)).map((row) => row.data)).toEqual(["three", "two", "one"]);
    expect(await page.textContent("#count")).toBe("3 events");
  });

  it("bidi overrides and control characters are shown as visible escapes, as in the terminal", async () => {
    const { origin, write } = await serve(["--format", "ndjson"]);
    const page = await openViewer(`${origin}/`);
    write(
      JSON.stringify({
        event: "invoice\u202egnp.exe",
        id: "7\u2066",
        data: "total \u202e001$\u202c \u001b[31mred",
      }),
    );
    await waitForRows(page, 1);
    expect(await rows(page)).toEqual([
      {
        name: "invoice\\u202egnp.exe",
        id: "7\\u2066",
        data: "total \\u202e001$\\u202c \\x1b[31mred",
        hidden: false,
      },
    ]);
  });

  it("the viewer URL printed for --token opens a working page as printed", async () => {
    const { write, cli } = await serve(["--format", "ndjson", "--token", "s3cr&t/+"]);
    const printed = /viewer page: (\S+)\n/.exec(await cli.waitForStderr(/viewer page: \S+\n/))?.[1];
    const page = await openViewer(printed ?? "");
    await page.waitForFunction(() => document.querySelector("#state")?.textContent === "open");
    write(JSON.stringify({ data: "for the token holder" }));
    await waitForRows(page, 1);
    expect((await rows(page))[0]?.data).toBe("for the token holder");
  });

  it("searches event data and ids, the raw lines and the comments", async () => {
    const { origin, write } = await serve(["--format", "ndjson", "--heartbeat", "0.05"]);
    const page = await openViewer(`${origin}/`);
    write(JSON.stringify({ event: "a", data: "a needle in the data" }));
    write(JSON.stringify({ event: "b", data: "only hay" }));
    write(JSON.stringify({ event: "c", id: "needle-7", data: "x", comment: "a needle comment" }));
    await waitForRows(page, 3);
    await page.fill("#search", "NEEDLE");
    expect((await rows(page)).filter((row) => !row.hidden).map((row) => row.name)).toEqual([
      "c",
      "a",
    ]);
    expect(await page.textContent("#count")).toBe("3 events (2 shown)");

    await page.click('[data-view="raw"]');
    expect(await page.isHidden("#events-view")).toBe(true);
    expect((await shownLines(page, "#raw")).reverse()).toEqual([
      "data: a needle in the data",
      ": a needle comment",
      "id: needle-7",
    ]);

    await page.click('[data-view="comments"]');
    expect(await shownLines(page, "#comments")).toEqual(["a needle comment"]);
    await page.fill("#search", "");
    await page.waitForFunction(
      () => document.querySelectorAll("#comments li:not([hidden])").length >= 3,
    );
    expect(await shownLines(page, "#comments")).toContain("heartbeat");
  });

  it("marks each reconnection where it happened, in the events and the raw lines", async () => {
    const { url, write } = await serve(["--format", "ndjson", "--retry", "50"]);
    const proxy = await startCuttingProxy(Number(new URL(url).port));
    cleanups.push(() => proxy.close());
    const page = await openViewer(`${proxy.url}/`);
    write(JSON.stringify({ data: "before", id: "1" }));
    await waitForRows(page, 1);
    proxy.cut();
    await page.waitForSelector("#events .marker");
    write(JSON.stringify({ data: "after", id: "2" }));
    await waitForRows(page, 2);
    const list = await page.$$eval("#events > li", (items) =>
      items.map((item) =>
        item.classList.contains("marker")
          ? `marker: ${item.textContent?.replace(/^[\d:.]+ · /, "")}`
          : (item.querySelector(".event-data")?.textContent ?? ""),
      ),
    );
    expect(list).toEqual(["after", "marker: reconnected with Last-Event-ID 1", "before"]);
    expect((await proxy.request(2)).header("last-event-id")).toBe("1");
    expect(await page.textContent("#count")).toBe("2 events");
    await page.click('[data-view="raw"]');
    expect(await shownLines(page, "#raw")).toContain("reconnected with Last-Event-ID 1");
  });

  it("exports the events shown as NDJSON, the shape serve reads back", async () => {
    const { origin, write } = await serve(["--format", "ndjson"]);
    const page = await openViewer(`${origin}/`);
    const sent = [
      { event: "price", id: "1", data: '{"usd":3}' },
      { event: "news", id: "2", data: "line one\nline two" },
      { event: "price", id: "3", data: '{"usd":4}' },
    ];
    for (const event of sent) write(JSON.stringify(event));
    await waitForRows(page, 3);
    await page.fill("#filter", "price");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
    expect(download.suggestedFilename()).toMatch(/^sse-tool-events-.*\.ndjson$/);
    const text = await readFile(await download.path(), "utf8");
    const records = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.map(({ event, id, data }) => ({ event, id, data }))).toEqual([sent[0], sent[2]]);
    expect(records.every((record) => !Number.isNaN(Date.parse(record.time)))).toBe(true);
    // serve --format auto (or ndjson) reads the export back as the same events.
    const parser = createInputParser("auto");
    const back = text
      .trimEnd()
      .split("\n")
      .flatMap((line, index) => parser.pushLine(line, index + 1));
    expect(back.map((item) => (item.kind === "event" ? item.event : item))).toEqual([
      { event: "price", id: "1", data: '{"usd":3}' },
      { event: "price", id: "3", data: '{"usd":4}' },
    ]);
  });
});
