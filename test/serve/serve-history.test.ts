/**
 * What a new client gets of the kept history, against the built binary: live only by default
 * (and the connect line says what was not sent and how to get it), everything with
 * `Last-Event-ID: earliest` or `--replay-history`, and a replay that never queues more than
 * --max-client-buffer for a client, however large the history (issues 14 and 15).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CliProcess } from "../helpers/cli-process.js";
import { rawConnect } from "../helpers/raw-http.js";
import { connectSse, type RunningServe, startServe } from "../helpers/sse-client.js";

const running: CliProcess[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const cli of running.splice(0)) {
    cli.kill("SIGKILL");
    await cli.exited;
  }
});

async function serve(args: string[], stdin?: string): Promise<RunningServe> {
  const started = await startServe(args, stdin === undefined ? {} : { stdin });
  running.push(started.cli);
  return started;
}

const data = (events: Array<{ data: string }>) => events.map((event) => event.data);

describe("kept events for a new client", () => {
  it("without Last-Event-ID: live events only, and the connect line says what was kept and how to get it", async () => {
    const { url, cli } = await serve(["--no-wait", "--ids"], "a\nb\nc\n");
    await cli.waitForStderr(/ended after 3 events/);
    const live = await connectSse(url);
    await cli.waitForStderr(
      /client 127\.0\.0\.1:\d+ connected \(no Last-Event-ID: live events only, 3 kept events not sent; Last-Event-ID: earliest or --replay-history sends them\)/,
    );
    await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "d" });
    expect(data(await live.waitForEvents(1))).toEqual(["d"]);
    live.close();
  });

  it("a client resuming with Last-Event-ID gets --retry first, then the events after its id", async () => {
    const { url, cli } = await serve(["--no-wait", "--ids", "--retry", "1234"], "a\nb\nc\n");
    await cli.waitForStderr(/ended after 3 events/);
    const client = await connectSse(url, { "Last-Event-ID": "1" });
    await client.waitForEvents(2);
    expect(client.body().toString()).toBe("retry: 1234\n\nid: 2\ndata: b\n\nid: 3\ndata: c\n\n");
    expect(client.retries).toEqual([1234]);
    client.close();
  });

  it("Last-Event-ID: earliest gets every kept event, then live ones", async () => {
    const { url, cli } = await serve(["--no-wait", "--ids", "--history", "3"], "a\nb\nc\nd\n");
    await cli.waitForStderr(/ended after 4 events/);
    const client = await connectSse(url, { "Last-Event-ID": "earliest" });
    await client.waitForEvents(3);
    await cli.waitForStderr(/connected \(Last-Event-ID "earliest": all 3 kept events sent\)/);
    await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "e" });
    await client.waitForEvents(4);
    expect(client.events.map((event) => [event.data, event.lastEventId])).toEqual([
      ["b", "2"],
      ["c", "3"],
      ["d", "4"],
      ["e", "5"],
    ]);
    client.close();
  });

  it("--replay-history sends them to every new client; a client's own Last-Event-ID still wins", async () => {
    const { url, cli } = await serve(["--no-wait", "--ids", "--replay-history"], "a\nb\nc\n");
    await cli.waitForStderr(/ended after 3 events/);
    const first = await connectSse(url);
    const second = await connectSse(url);
    expect(data(await first.waitForEvents(3))).toEqual(["a", "b", "c"]);
    expect(data(await second.waitForEvents(3))).toEqual(["a", "b", "c"]);
    await cli.waitForStderr(/connected \(--replay-history: all 3 kept events sent\)/);
    const resumed = await connectSse(url, { "Last-Event-ID": "2" });
    await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "d" });
    expect(data(await resumed.waitForEvents(2))).toEqual(["c", "d"]);
    for (const client of [first, second, resumed]) client.close();
  });
});

/** The server's resident memory in KB. */
function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
}

describe("--max-client-buffer bounds a history replay", () => {
  it("8 clients that never read after asking for a 12 MB history add a few MB, not 8 copies; a reader gets it all, in order, then live events", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sse-tool-replay-"));
    const file = join(dir, "big.txt");
    const eventCount = 200;
    const lines = Array.from({ length: eventCount }, (_, i) => `${i + 1}:`.padEnd(64 * 1024, "x"));
    await writeFile(file, `${lines.join("\n")}\n`);
    const { url, origin, cli } = await serve([
      "--no-wait",
      "--ids",
      "--history",
      String(eventCount),
      "--max-client-buffer",
      "256KiB",
      file,
    ]);
    await cli.waitForStderr(/ended after 200 events/);
    const pid = cli.child.pid ?? 0;
    const before = rssKb(pid);
    for (let i = 0; i < 8; i++) {
      const socket = await rawConnect(origin);
      sockets.push(socket);
      socket.pause();
      const lastEventId = i % 2 === 0 ? "earliest" : "an id from an earlier run";
      socket.write(
        `GET /events HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: ${lastEventId}\r\n\r\n`,
      );
    }
    // A reader asking for everything too; a live event published while replays are under way.
    const reader = await connectSse(url, { "Last-Event-ID": "earliest" });
    await reader.waitForEvents(10);
    await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "live" });
    await reader.waitForEvents(eventCount + 1, 30_000);
    const grownMb = (rssKb(pid) - before) / 1024;
    // Before: each client got the whole history as one write (a copy, then a framed copy):
    // 160-200 MB for these 8. Bounded: each holds at most 256 KiB in the process; the rest of
    // the growth is the heap's young generation, which on Node 22+ alone can take ~40 MB here.
    expect(grownMb).toBeLessThan(80);
    expect(reader.events.map((event) => event.data.split(":")[0])).toEqual([
      ...lines.map((_, i) => String(i + 1)),
      "live",
    ]);
    expect(reader.events.at(-1)?.lastEventId).toBe("201");
    // The ones that do not read are not dropped: their queues stay under the bound.
    expect(sockets.every((socket) => !socket.destroyed && socket.readyState === "open")).toBe(true);
    expect(cli.stderr).not.toMatch(/dropped/);
    reader.close();
  });
});
