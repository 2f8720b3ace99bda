/**
 * `load --report run.html` opened in headless Chromium from a file: URL with the network off:
 * no console error, no request leaves the page, every chart has data points, and the page
 * shows what the test server did (one client that missed ten events heads the worst clients,
 * the missing ids show in the timeline, --max-loss 0 fails at the top). A hostile URL cannot
 * end the page's script. `--merge a.json b.json --report` draws the combined report. Saves
 * screenshots to test/.tmp/.
 */
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, testTmpFile } from "../../helpers/browser.js";
import { runCli } from "../../helpers/cli-process.js";
import { startTestServer, type TestServer } from "../../helpers/http-test-server.js";
import { broadcast, runLoad } from "../load-scenarios.js";

const ids = Array.from({ length: 400 }, (_, index) => index + 1);
/** Connection 2 misses ids 100-109. */
const skipped = (connection: number, id: string | number) =>
  connection === 2 && Number(id) >= 100 && Number(id) < 110;
const hostileQuery = "?q=</script><script>window.pwned=1</script>";

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer({
    "/lossy": broadcast({
      clients: 4,
      ids,
      everyMs: 6,
      skip: skipped,
      data: () => JSON.stringify({ sentAt: Date.now() }),
    }),
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface OpenedReport {
  page: Page;
  errors: string[];
  requests: string[];
  close(): Promise<void>;
}

/** Opens a report file offline; collects console errors and any request that is not file:. */
async function openReport(path: string): Promise<OpenedReport> {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    offline: true,
  });
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
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction(() => document.body.dataset.charts === "drawn");
  return { page, errors, requests, close: () => context.close() };
}

function chartPoints(page: Page): Promise<Record<string, number>> {
  return page.$$eval(".chart", (charts) =>
    Object.fromEntries(
      charts.map((chart) => [chart.id, Number(chart.getAttribute("data-points"))]),
    ),
  );
}

describe("load --report: one self-contained HTML page", () => {
  it("shows a lossy run's numbers, offline, with every chart drawn", async () => {
    const htmlPath = await testTmpFile("load-report.html");
    const { code, report } = await runLoad([
      "-c",
      "4",
      "--duration",
      "4",
      "--latency-field",
      "sentAt",
      "--max-loss",
      "0",
      "--report",
      htmlPath,
      `${server.url}/lossy${hostileQuery}`,
    ]);
    expect(code).toBe(4);
    expect(report.missing).toBe(10);
    const timeline = report.timeline!;
    expect(timeline.stepSeconds).toBe(1);
    const missingInTimeline = timeline.columns.missingPerSecond.reduce<number>(
      (sum, value) => sum + (value ?? 0),
      0,
    );
    expect(Math.round(missingInTimeline)).toBe(10);
    expect(Math.max(...timeline.columns.connected.map((value) => value ?? 0))).toBe(4);

    const html = await readFile(htmlPath, "utf8");
    expect(html).not.toMatch(/<script src|<link |https?:\/\/(?!127\.0\.0\.1)/);
    const opened = await openReport(htmlPath);
    try {
      const { page } = opened;
      const points = await chartPoints(page);
      expect(Object.keys(points).sort()).toEqual(
        [
          "clients",
          "events",
          "latency",
          "skew",
          "ids",
          "generator",
          "generator-memory",
          "distribution-connect",
          "distribution-firstByte",
          "distribution-firstEvent",
        ].sort(),
      );
      for (const [id, count] of Object.entries(points))
        expect({ id, count }).not.toMatchObject({ count: 0 });
      expect(await page.locator("canvas").count()).toBeGreaterThanOrEqual(9);
      // The query was percent-encoded by the URL parser: shown as it was sent.
      expect(await page.title()).toContain("?q=%3C/script%3E");
      const worst = report.worstClients[0]!;
      const firstRow = await page
        .locator("#worst-clients tr")
        .nth(1)
        .locator("td")
        .allTextContents();
      expect(firstRow.slice(1, 4)).toEqual([`#${worst.client}`, String(worst.events), "10"]);
      expect(await page.locator("#assertions").textContent()).toContain("--max-loss 0");
      expect(await page.locator("#assertions .fail").textContent()).toContain("10 events missing");
      await page.screenshot({ path: await testTmpFile("load-report.png"), fullPage: true });
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);
    } finally {
      await opened.close();
    }

    // Two machines' reports, one combined page.
    const jsonA = await testTmpFile("load-report-a.json");
    const jsonB = await testTmpFile("load-report-b.json");
    await writeFile(jsonA, JSON.stringify(report));
    // Hostile values (a label, a warning, an error's example) stay text in the page.
    const hostile =
      "</script><script>window.pwned=1</script><!--<img src=x onerror=window.pwned=2>";
    await writeFile(
      jsonB,
      JSON.stringify({
        ...report,
        runs: [{ ...report.runs[0]!, label: hostile }],
        warnings: [hostile],
        worstClients: report.worstClients.map((client) => ({ ...client, run: hostile })),
      }),
    );
    const mergedPath = await testTmpFile("load-report-merged.html");
    const merged = await runCli(["load", "--merge", jsonA, jsonB, "--report", mergedPath]);
    expect(merged.code).toBe(0);
    const mergedPage = await openReport(mergedPath);
    try {
      const points = await chartPoints(mergedPage.page);
      for (const [id, count] of Object.entries(points))
        expect({ id, count }).not.toMatchObject({ count: 0 });
      // The same run twice: twice the clients at the peak.
      const rows = await mergedPage.page.locator("#runs tr").count();
      expect(rows).toBe(3);
      expect(await mergedPage.page.locator("#runs").textContent()).toContain(hostile);
      expect(await mergedPage.page.locator("#worst-clients").textContent()).toContain(hostile);
      expect(
        await mergedPage.page.evaluate(() => (window as { pwned?: number }).pwned),
      ).toBeUndefined();
      expect(mergedPage.errors).toEqual([]);
      await mergedPage.page.screenshot({
        path: await testTmpFile("load-report-merged.png"),
        fullPage: true,
      });
    } finally {
      await mergedPage.close();
    }
  }, 60_000);
});
