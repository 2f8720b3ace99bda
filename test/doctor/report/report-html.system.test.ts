/**
 * `doctor --report doctor.html` opened in headless Chromium from a file: URL, offline: the
 * checks as in the terminal, and the watch on one axis (the headers, each event and comment,
 * the silence and the burst after it, the resume test's reconnect). Hostile event names and
 * ids stay text. Saves a screenshot to test/.tmp/.
 */

import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, testTmpFile } from "../../helpers/browser.js";
import { runCli } from "../../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../../helpers/http-test-server.js";

const hostileName = "</script><script>window.pwned=1</script>";
const hostileId = "<img src=x onerror=window.pwned=2>";

let browser: Browser;
let server: TestServer;

/** A comment, three events 100 ms apart, 700 ms of silence, then a burst of five at once. */
function watched(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, eventStreamHeaders);
  response.flushHeaders();
  if (request.headers["last-event-id"] !== undefined) {
    response.write("id: 9\ndata: resumed\n\n");
    return;
  }
  response.write(": hello\n\n");
  const steps: Array<[number, string]> = [
    [100, "id: 1\ndata: a\n\n"],
    [200, `event: ${hostileName}\nid: 2\ndata: b\n\n`],
    [300, "id: 3\ndata: c\n\n"],
    [
      1000,
      [4, 5, 6, 7].map((id) => `id: ${id}\ndata: burst\n\n`).join("") +
        `id: ${hostileId}\ndata: x\n\n`,
    ],
  ];
  for (const [atMs, text] of steps) setTimeout(() => response.write(text), atMs);
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer({ "/watched": watched });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("doctor --report", () => {
  it("draws the watch on one axis, offline, with the checks at the top", async () => {
    const htmlPath = await testTmpFile("doctor-report.html");
    const result = await runCli([
      "doctor",
      "--duration",
      "2s",
      "--report",
      htmlPath,
      `${server.url}/watched`,
    ]);
    expect(result.stderr).not.toContain("cannot write");
    const html = await readFile(htmlPath, "utf8");
    expect(html).not.toMatch(/<script src|<link /);

    const context = await browser.newContext({
      viewport: { width: 1100, height: 800 },
      offline: true,
    });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("request", (request) => {
        if (!request.url().startsWith("file:")) requests.push(request.url());
      });
      await page.goto(pathToFileURL(htmlPath).href);
      await page.waitForFunction(() => document.body.dataset.charts === "drawn");
      // Points: 3 events, the burst (one read: one instant), 1 comment, 1 event after the resume.
      expect(await page.locator("#watch").getAttribute("data-points")).toBe("6");
      expect(await page.locator("#watch canvas").count()).toBeGreaterThan(0);
      expect(await page.locator("#checks tr").count()).toBeGreaterThan(5);
      const kinds = await page.$$eval("#watch-marks tr td:nth-child(2)", (cells) =>
        cells.map((cell) => cell.textContent),
      );
      expect(kinds[0]).toBe("request");
      expect(kinds[1]).toBe("headers");
      expect(kinds.filter((kind) => kind === "event")).toHaveLength(8);
      expect(kinds.filter((kind) => kind === "comment")).toHaveLength(1);
      expect(kinds).toContain("resume-request");
      expect(kinds).toContain("resume-event");
      const table = (await page.locator("#watch-marks").textContent()) ?? "";
      expect(table).toContain(hostileName);
      expect(table).toContain(hostileId);
      expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
      await page.screenshot({ path: await testTmpFile("doctor-report.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);
});
