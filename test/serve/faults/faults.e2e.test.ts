/**
 * serve's faults (--drop-after, --stall-after/--stall-for, --fail-first/--fail-status,
 * --chunk-split, --latency), each with real clients: the built `listen`, and the `eventsource`
 * package. With ids and history, a spec-correct client sees every event exactly once, in order,
 * under each fault; each fault says on stderr when it acts. (Chromium's EventSource:
 * test/browser/faults.system.test.ts.)
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../helpers/cli-process.js";
import { eventSourceEvents } from "../../helpers/eventsource-client.js";
import { readmeCommands } from "../../helpers/readme-examples.js";
import { connectSse, startServeFor } from "../../helpers/sse-client.js";

const cleanups: Array<() => Promise<unknown>> = [];
let dir: string;
let eventsFile: string;
const count = 12;
/** Multi-byte characters in every event, so --chunk-split cuts inside some. */
const dataOf = (n: number) => `Grüße 👋 event ${n}`;
const expected = Array.from({ length: count }, (_, index) => [
  String(index + 1),
  dataOf(index + 1),
]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sse-tool-faults-"));
  eventsFile = join(dir, "events.ndjson");
  const lines = Array.from({ length: count }, (_, index) =>
    JSON.stringify({ data: dataOf(index + 1) }),
  );
  await writeFile(eventsFile, `${lines.join("\n")}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * serve with the events numbered, kept and sent to every new client, `retry: 50` for quick
 * reconnections, and the faults given.
 */
function serveWith(faults: string[]) {
  return startServeFor(cleanups, [
    "--ids",
    "--replay-history",
    "--no-wait",
    "--retry",
    "50",
    ...faults,
    eventsFile,
  ]);
}

function listenEvents(url: string, extra: string[] = []): Promise<CliResult> {
  return runCli(["listen", "--json", "-n", String(count), ...extra, url]);
}

function idsAndData(result: CliResult): string[][] {
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => {
      const event = JSON.parse(line) as { id: string; data: string };
      return [event.id, event.data];
    });
}

describe("--drop-after", () => {
  it("listen resumes each cut with Last-Event-ID and sees every event once", async () => {
    const served = await serveWith(["--drop-after", "5"]);
    const result = await listenEvents(served.url);
    expect(result.code, result.stderr).toBe(0);
    expect(idsAndData(result)).toEqual(expected);
    expect(result.stderr.match(/reconnecting in/g)?.length).toBeGreaterThanOrEqual(2);
    await served.cli.waitForStderr(/fault: --drop-after 5: cut 127\.0\.0\.1:\d+ after 5 events/);
    expect(served.cli.stderr).toContain('(Last-Event-ID "5": 7 missed events sent)');
    expect(served.cli.stderr).toContain('(Last-Event-ID "10": 2 missed events sent)');
  });

  it("the eventsource package resumes each cut and sees every event once", async () => {
    const served = await serveWith(["--drop-after", "5"]);
    const run = await eventSourceEvents(served.url, count);
    expect(run.events.map((event) => [event.lastEventId, event.data])).toEqual(expected);
    expect(run.errors).toBeGreaterThanOrEqual(2);
  });

  it("cuts the connection right after the nth event: the bytes end there, without a clean end", async () => {
    const served = await serveWith(["--drop-after", "2"]);
    const client = await connectSse(served.url);
    await client.closed;
    expect(client.body().toString()).toBe(
      `retry: 50\n\nid: 1\ndata: ${dataOf(1)}\n\nid: 2\ndata: ${dataOf(2)}\n\n`,
    );
    expect(client.response.complete).toBe(false);
  });
});

describe("--stall-after / --stall-for", () => {
  it("listen waits out the stall and sees every event once", async () => {
    const served = await serveWith(["--stall-after", "4", "--stall-for", "1s"]);
    const result = await listenEvents(served.url);
    expect(result.code, result.stderr).toBe(0);
    expect(idsAndData(result)).toEqual(expected);
    const times = result.stdout
      .trim()
      .split("\n")
      .map((line) => Date.parse((JSON.parse(line) as { time: string }).time));
    // The 1 s stall, less how late the event before it arrived (a busy machine).
    expect(times[4]! - times[3]!).toBeGreaterThanOrEqual(800);
    expect(times[3]! - times[0]!).toBeLessThan(500);
    await served.cli.waitForStderr(/fault: --stall-after 4: holding 127\.0\.0\.1:\d+ for 1\.00 s/);
    await served.cli.waitForStderr(/fault: --stall-after: 127\.0\.0\.1:\d+ goes on/);
  });

  it("the eventsource package waits out the stall and sees every event once", async () => {
    const served = await serveWith(["--stall-after", "4", "--stall-for", "1s"]);
    const run = await eventSourceEvents(served.url, count);
    expect(run.events.map((event) => [event.lastEventId, event.data])).toEqual(expected);
    expect(run.events[4]!.atMs - run.events[3]!.atMs).toBeGreaterThanOrEqual(800);
    expect(run.errors).toBe(0);
  });
});

describe("--fail-first / --fail-status", () => {
  it("listen, retried by a script, fails twice with the status, then sees every event once", async () => {
    const served = await serveWith(["--fail-first", "2"]);
    const results: CliResult[] = [];
    // A script's retry loop: `until sse-tool listen ...; do sleep 0.1; done`.
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await listenEvents(served.url);
      results.push(result);
      if (result.code === 0) break;
    }
    expect(results.map((result) => result.code)).toEqual([1, 1, 0]);
    for (const failed of results.slice(0, 2)) {
      expect(failed.stdout).toBe("");
      expect(failed.stderr).toContain("HTTP 503 Service Unavailable");
    }
    expect(idsAndData(results[2]!)).toEqual(expected);
    await served.cli.waitForStderr(
      /fault: --fail-first 2: answered 127\.0\.0\.1:\d+ with 503 \(request 2 of 2\)/,
    );
  });

  it("the eventsource package gives up on the status; an app that opens it again sees every event once", async () => {
    const served = await serveWith(["--fail-first", "2", "--fail-status", "500"]);
    const run = await eventSourceEvents(served.url, count, { reopen: true });
    expect(run.events.map((event) => [event.lastEventId, event.data])).toEqual(expected);
    expect(run.opened).toBe(3);
  });

  it("--fail-status 204 tells a client to stop: listen exits 0", async () => {
    const served = await serveWith(["--fail-first", "1", "--fail-status", "204"]);
    const result = await listenEvents(served.url);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("server answered 204 No Content (stop)");
  });
});

describe("--chunk-split", () => {
  it.each(["3", "random"])("--chunk-split %s: listen decodes every event once", async (split) => {
    const served = await serveWith(["--chunk-split", split]);
    const result = await listenEvents(served.url);
    expect(result.code, result.stderr).toBe(0);
    expect(idsAndData(result)).toEqual(expected);
    await served.cli.waitForStderr(`fault: --chunk-split ${split}: sending 127.0.0.1:`);
  });

  it.each(["3", "random"])(
    "--chunk-split %s: the eventsource package decodes every event once",
    async (split) => {
      const served = await serveWith(["--chunk-split", split]);
      const run = await eventSourceEvents(served.url, count);
      expect(run.events.map((event) => [event.lastEventId, event.data])).toEqual(expected);
    },
  );

  it("sends the bytes in pieces that cut lines and characters", async () => {
    const served = await serveWith(["--chunk-split", "3"]);
    const reads: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(served.url, (response) => {
        response.on("data", (bytes: Buffer) => {
          reads.push(bytes);
          if (
            Buffer.concat(reads)
              .toString()
              .includes(`data: ${dataOf(count)}\n\n`)
          ) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on("error", reject);
      req.end();
    });
    const body = Buffer.concat(reads);
    // Pieces of 3 bytes, 1 ms apart: the reader sees most of them on their own.
    expect(reads.length).toBeGreaterThan(body.length / 9);
    expect(Math.max(...reads.map((read) => read.length))).toBeLessThan(body.length / 4);
    const cutInsideCharacter = reads.some((read) => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(read);
        return false;
      } catch {
        return true;
      }
    });
    expect(cutInsideCharacter).toBe(true);
  });
});

describe("--latency", () => {
  it("holds the head and every event: each arrives the latency after it was published", async () => {
    const served = await startServeFor(cleanups, ["--ids", "--no-wait", "--latency", "300ms"]);
    const started = performance.now();
    const client = await connectSse(served.url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const published: number[] = [];
    for (let n = 1; n <= 3; n++) {
      published.push(performance.now());
      const response = await fetch(served.url, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: dataOf(n),
      });
      expect(response.status).toBe(202);
    }
    await client.waitForEvents(3);
    for (const [index, publishedAt] of published.entries()) {
      expect(client.arrivalMs[index]! - publishedAt).toBeGreaterThanOrEqual(290);
    }
    expect(client.events.map((event) => event.data)).toEqual([dataOf(1), dataOf(2), dataOf(3)]);
    await served.cli.waitForStderr(
      /fault: --latency 300 ms: holding each write to 127\.0\.0\.1:\d+/,
    );
  });

  it("listen and the eventsource package see every event once", async () => {
    const served = await serveWith(["--latency", "100ms"]);
    const [result, run] = await Promise.all([
      listenEvents(served.url),
      eventSourceEvents(served.url, count),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(idsAndData(result)).toEqual(expected);
    expect(run.events.map((event) => [event.lastEventId, event.data])).toEqual(expected);
  });
});

describe("the README's faults example", () => {
  // Eight processes one after the other: more time than one command's test on a busy machine.
  it("each command serves events that listen sees exactly once", { timeout: 90_000 }, async () => {
    const commands = readmeCommands("faults");
    expect(commands).toHaveLength(3);
    // The second one replays a recording: made here from the events file, served with ids.
    const source = await serveWith([]);
    const recording = join(dir, "stream.jsonl");
    const recorded = await runCli([
      "listen",
      "-n",
      String(count),
      "--record",
      recording,
      source.url,
    ]);
    expect(recorded.code, recorded.stderr).toBe(0);
    for (const args of commands) {
      const served = await startServeFor(
        cleanups,
        args
          .slice(1)
          .map((arg) =>
            arg === "examples/events.ndjson"
              ? eventsFile
              : arg === "examples/stream.jsonl"
                ? recording
                : arg,
          ),
      );
      // A script's retry loop for --fail-first: until sse-tool listen ...; do :; done
      let result = await listenEvents(served.url, ["--retry", "100"]);
      for (let attempt = 0; result.code === 1 && attempt < 3; attempt++) {
        result = await listenEvents(served.url, ["--retry", "100"]);
      }
      expect(result.code, `${args.join(" ")}\n${result.stderr}`).toBe(0);
      expect(idsAndData(result), args.join(" ")).toEqual(expected);
    }
  });
});

describe("all faults at once", () => {
  it("listen still sees every event exactly once", async () => {
    const served = await serveWith([
      "--drop-after",
      "4",
      "--stall-after",
      "2",
      "--stall-for",
      "200ms",
      "--fail-first",
      "1",
      "--chunk-split",
      "random",
      "--latency",
      "20ms",
    ]);
    const first = await listenEvents(served.url);
    expect(first.code).toBe(1);
    const result = await listenEvents(served.url);
    expect(result.code, result.stderr).toBe(0);
    expect(idsAndData(result)).toEqual(expected);
    expect(served.cli.stderr).toContain(
      "faults on every stream: --drop-after 4, --stall-after 2 --stall-for 200ms, --fail-first 1 (503), --chunk-split random, --latency 20ms",
    );
  });

  it.each([
    [["--stall-after", "2"], "--stall-after and --stall-for go together"],
    [["--drop-after", "0"], "--drop-after must be a whole number of 1 or more"],
    [["--fail-status", "500"], "--fail-status needs --fail-first"],
    [["--chunk-split", "0"], "--chunk-split"],
    [["--latency", "fast"], "--latency"],
  ])("serve %j is a usage error (exit 2)", async (args, message) => {
    const result = await runCli(["serve", "--port", "0", ...args, eventsFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
