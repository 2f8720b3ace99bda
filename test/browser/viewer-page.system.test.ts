/**
 * The viewer page `serve` returns at `GET /`, in headless Chromium against the built binary:
 * events appear in the DOM (count, names, ids, JSON pretty-printed, server text never parsed
 * as HTML), pause and the event-name filter work, the connection state follows the server,
 * `?token=` is passed on, and `--no-ui` turns the page off. Saves a screenshot to test/.tmp/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderViewerPage } from "../../src/serve/viewer-page.js";
import { launchChromium, testTmpFile } from "../helpers/browser.js";
import { eventStreamHeaders, startTestServer } from "../helpers/http-test-server.js";
import { type RunningServe, startServe } from "../helpers/sse-client.js";

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

async function serve(args: string[]): Promise<RunningServe & { write(line: string): void }> {
  const started = await startServe(args);
  cleanups.push(async () => {
    started.cli.kill();
    await started.cli.exited;
  });
  return { ...started, write: (line) => started.cli.child.stdin?.write(`${line}\n`) };
}

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
});
