/**
 * What `sse-tool load` prints and how it exits: the --json report's shape, --merge of several
 * runs, the text report, failures that end the run, usage errors, and the live line on a TTY.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadReport } from "../../src/load/report/report.js";
import { runCli, runShell, shellCommand, shellQuote, startCli } from "../helpers/cli-process.js";
import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { fixedStream, runLoad, startRawServer } from "./load-scenarios.js";

let server: TestServer;
/** Answers every connection with a raw 500 whose status text holds escape sequences. */
let rawServer: Awaited<ReturnType<typeof startRawServer>>;
let rawUrl: string;
const dir = mkdtempSync(join(tmpdir(), "sse-tool-load-"));
const tenEvents = Array.from(
  { length: 10 },
  (_, index) => `id: ${index + 1}\ndata: ${index + 1}\n\n`,
).join("");

beforeAll(async () => {
  server = await startTestServer({
    "/ten": fixedStream(tenEvents),
    "/html": (_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<p>");
    },
    "/stop": (_request, response) => {
      response.writeHead(204).end();
    },
    // Events as fast as the client reads them: decoding them keeps its event loop busy.
    "/flood": (_request, response) => {
      response.writeHead(200, eventStreamHeaders);
      const chunk = Buffer.from("data: x\n\n".repeat(8000));
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {}
      };
      response.on("drain", pump);
      pump();
    },
    "/slow-ticks": (_request, response) => {
      response.writeHead(200, eventStreamHeaders);
      let n = 0;
      const timer = setInterval(() => response.write(`id: ${++n}\ndata: ${n}\n\n`), 50);
      response.on("close", () => clearInterval(timer));
    },
  });
});

beforeAll(async () => {
  rawServer = await startRawServer({
    "/events": "HTTP/1.1 500 Oops \x1b]0;pwned\x07 \x1b[2J\r\ncontent-length: 2\r\n\r\nno",
  });
  rawUrl = `${rawServer.url}/events`;
});

afterAll(async () => {
  await server.close();
  await rawServer.close();
});

const parse = (stdout: string) => JSON.parse(stdout) as LoadReport;

describe("load --json", () => {
  it("is one object: totals first, in the documented order, then the details", async () => {
    const result = await runLoad(["-c", "3", "--duration", "1.5", `${server.url}/ten`]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    const report = result.report;
    expect(Object.keys(report).slice(0, 12)).toEqual([
      "clients",
      "connected",
      "failed",
      "events",
      "missing",
      "duplicates",
      "reconnects",
      "connect",
      "firstEvent",
      "skew",
      "latency",
      "generator",
    ]);
    expect(report).toMatchObject({
      clients: 3,
      connected: 3,
      failed: 0,
      events: 30,
      missing: 0,
      duplicates: 0,
      reconnects: 0,
      latency: null,
      format: "sse-tool-load/1",
    });
    for (const name of ["connect", "firstEvent"] as const) {
      expect(Object.keys(report[name] ?? {})).toEqual(["p50", "p90", "p99", "max"]);
    }
    expect(Object.keys(report.generator)).toEqual([
      "processes",
      "cpuPercent",
      "userMs",
      "systemMs",
      "eventLoopBusyPercent",
      "eventLoopDelayP99Ms",
      "peakRssMb",
      "saturated",
    ]);
    expect(report.generator.peakRssMb).toBeGreaterThan(10);
    expect(report.histograms.connect.count).toBe(3);
    expect(report.histograms.firstEvent.count).toBe(3);
    // stderr carries the start line only; stdout only the report.
    expect(result.stderr).toMatch(
      /^sse-tool: load: 3 clients -> http:\/\/127\.0\.0\.1:\d+\/ten for 1\.5 s\n/,
    );
  });
});

describe("load --merge", () => {
  it("two runs merged equal one run over the union of their clients", async () => {
    const runs = await Promise.all(
      ["2", "3", "5"].map((clients) =>
        runLoad(["-c", clients, "--duration", "1.5", `${server.url}/ten`]),
      ),
    );
    const [a, b, union] = runs.map((run) => run.report) as [LoadReport, LoadReport, LoadReport];
    writeFileSync(join(dir, "a.json"), JSON.stringify(a));
    writeFileSync(join(dir, "b.json"), JSON.stringify(b));
    const merged = await runCli([
      "load",
      "--merge",
      join(dir, "a.json"),
      join(dir, "b.json"),
      "--json",
    ]);
    expect(merged.code).toBe(0);
    const report = parse(merged.stdout);
    const totals = (r: LoadReport) => ({
      clients: r.clients,
      connected: r.connected,
      failed: r.failed,
      events: r.events,
      missing: r.missing,
      duplicates: r.duplicates,
      reconnects: r.reconnects,
      outOfOrder: r.outOfOrder,
      opened: r.connections.opened,
      ids: r.ids,
      connectSamples: r.histograms.connect.count,
      firstEventSamples: r.histograms.firstEvent.count,
      bytes: r.bytes,
    });
    expect(totals(report)).toEqual(totals(union));
    expect(report.runs).toHaveLength(2);
    expect(report.generator.processes).toBe(2);
    // The percentiles are those of all samples: between the two runs' extremes.
    expect(report.connect!.max).toBe(Math.max(a.connect!.max, b.connect!.max));
  });

  it("applies the assertions to the merged report (exit 4)", async () => {
    const run = await runLoad(["-c", "2", "--duration", "1", `${server.url}/ten`]);
    writeFileSync(join(dir, "c.json"), run.stdout);
    const merged = await runCli([
      "load",
      "--merge",
      join(dir, "c.json"),
      join(dir, "c.json"),
      "--min-connected",
      "5",
    ]);
    expect(merged.code).toBe(4);
    expect(merged.stderr).toMatch(/--min-connected 5: 4 of 4 clients were connected at the end/);
    expect(merged.stdout).toMatch(/2 runs merged/);
  });

  it("a file that is not a report is named with what is wrong (exit 1)", async () => {
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ format: "sse-tool-load/1", clients: -1 }),
    );
    writeFileSync(join(dir, "text.json"), "hello");
    const bad = await runCli(["load", "--merge", join(dir, "bad.json")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json is not a load report: ids: expected one of/);
    const text = await runCli(["load", "--merge", join(dir, "text.json")]);
    expect(text.stderr).toMatch(/text\.json is not JSON/);
    const missing = await runCli(["load", "--merge", join(dir, "nope.json")]);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: no such file/);
    expect(`${bad.stdout}${text.stdout}${missing.stdout}`).toBe("");
  });
});

describe("load: the text report and exit codes", () => {
  it("prints a readable report on stdout", async () => {
    const result = await runCli(["load", "-c", "2", "--duration", "1.2", `${server.url}/ten`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✔ all 2 clients connected; every event reached every client/);
    expect(result.stdout).toMatch(
      /events +20 \(\d+\/s\) · 0 missing · 0 duplicates · 0 out of order/,
    );
    expect(result.stdout).toMatch(/\n {2}first event +[\d.]+ m?s/);
    expect(result.stdout).toMatch(/generator {2}CPU [\d.]+% of a core/);
  });

  it("a server answering 500 for every client: exit 1, the status shown escaped", async () => {
    const result = await runCli(["load", "-c", "3", "--duration", "10", rawUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /sse-tool: no client could connect to 127\.0\.0\.1:\d+: HTTP 500 Oops \\x1b\]0;pwned\\x07 \\x1b\[2J/,
    );
    expect(result.stdout).toMatch(/status +3 +HTTP 500 Oops \\x1b/);
    // Nothing the server sent reaches the terminal raw.
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\x1b\]|\x1b\[2J|\x07/);
  });

  it("a response that is not an event stream counts as content-type", async () => {
    const result = await runLoad(["-c", "2", "--duration", "10", `${server.url}/html`]);
    expect(result.code).toBe(1);
    expect(result.report.connections.failed).toEqual({ "content-type": 2 });
  });

  it("nothing listening: exit 1 at once, not after --duration", async () => {
    const started = Date.now();
    const result = await runCli([
      "load",
      "-c",
      "20",
      "--duration",
      "60",
      "http://127.0.0.1:1/events",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no client could connect to 127\.0\.0\.1:1: connection refused/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("204 No Content stops every client: the run ends early, exit 0", async () => {
    const started = Date.now();
    const result = await runLoad(["-c", "3", "--duration", "60", `${server.url}/stop`]);
    expect(result.code).toBe(0);
    expect(result.report).toMatchObject({ clients: 3, connected: 0, failed: 0, events: 0 });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it.each([
    ["Ctrl-C", "SIGINT", 130, /interrupted; the report covers the run so far/],
    [
      "SIGTERM (a Job stopped)",
      "SIGTERM",
      143,
      /stopped by SIGTERM; the report covers the run so far/,
    ],
  ] as const)("%s ends the run with the report so far", async (_name, signal, exitCode, said) => {
    const run = startCli([
      "load",
      "--json",
      "-c",
      "2",
      "--duration",
      "60",
      `${server.url}/slow-ticks`,
    ]);
    await run.waitForStderr("all 2 clients connected");
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.kill(signal);
    const { code, stdout, stderr } = await run.exited;
    expect(code).toBe(exitCode);
    expect(parse(stdout)).toMatchObject({ clients: 2, connected: 2 });
    expect(parse(stdout).events).toBeGreaterThan(0);
    expect(stderr).toMatch(said);
  });

  it.each([
    [["load"], /missing URL \(or --merge with report files\)/],
    [
      ["load", "--merge", "a.json", "http://127.0.0.1:1/"],
      /--merge combines report files; give no URL/,
    ],
    [["load", "--max-loss", "lots", "http://127.0.0.1:1/"], /expected a number or a percentage/],
    [
      ["load", "--ramp", "20s", "--duration", "10s", "http://127.0.0.1:1/"],
      /--ramp is longer than --duration/,
    ],
    [
      ["load", "--duration", "soon", "http://127.0.0.1:1/"],
      /expected a duration such as 500ms, 2s or 1m \(a bare number is seconds\)/,
    ],
    [["load", "-c", "0", "http://127.0.0.1:1/"], /--clients must be between 1 and 1,000,000/],
    [
      ["load", "--source-address", "nope", "http://127.0.0.1:1/"],
      /--source-address nope is not an IP address/,
    ],
    [
      ["load", "--latency-field", "a..b", "http://127.0.0.1:1/"],
      /invalid --latency-field "a\.\.b"/,
    ],
  ])("usage error %j: exit 2, one line, nothing on stdout", async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("load: the generator's own load", () => {
  it("says when the load process itself was saturated", async () => {
    const result = await runLoad(["-c", "20", "--duration", "3", `${server.url}/flood`]);
    expect(result.code).toBe(0);
    const report = result.report;
    expect(report.generator.saturated).toBe(true);
    expect(report.generator.eventLoopBusyPercent).toBeGreaterThanOrEqual(90);
    expect(report.warnings[0]).toMatch(/^warning: the load generator was saturated/);
    expect(result.stderr).toMatch(
      /sse-tool: warning: the load generator was saturated \(event loop busy [\d.]+%, timer delay p99 [\d.]+ ms\): latency and skew include its own delay/,
    );
  });
});

describe("load: the live line on a terminal", () => {
  it("redraws connected / events / reconnects / errors on stderr about four times a second", async () => {
    // `script` runs the command on a pseudo-terminal, as a user's shell would.
    const command = shellCommand([
      "load",
      "-c",
      "2",
      "--duration",
      "1.6",
      `${server.url}/slow-ticks`,
    ]);
    const { code, stdout: output } = await runShell(
      `script -qec ${shellQuote(`${command} 2>&1 >/dev/null`)} /dev/null`,
      { NO_COLOR: "1" },
    );
    expect(code).toBe(0);
    const redraws = output.split("\r").filter((part) => part.startsWith("load "));
    expect(redraws.length).toBeGreaterThanOrEqual(4);
    expect(redraws.at(-1)).toMatch(
      /^load \d+\.\d s · connected 2\/2 · \d+ events\/s · 0 reconnects · 0 errors\x1b\[K/,
    );
  });
});
