/**
 * A burst-then-close stream read by a slow consumer (issue 12). The server sends 50,000 events
 * at once in a close-delimited body (`Connection: close`, no Content-Length, not chunked) and
 * closes; `listen --json` writes into a pipe whose reader sleeps 3 s before reading, so the
 * response is paused by back-pressure when the server's FIN arrives. undici 7 died there with an
 * uncatchable `AssertionError: assert(!this.paused)` (nodejs/undici#5360) and lost the rest.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath } from "../helpers/cli-process.js";

const eventCount = 50_000;

/** The whole body, built once: `id: n` and a JSON data line per event. */
const body = Buffer.from(
  Array.from({ length: eventCount }, (_, index) => {
    const n = index + 1;
    return `id: ${n}\ndata: {"n":${n},"text":"event number ${n} of a burst"}\n\n`;
  }).join(""),
);

let server: Server;
let url: string;
let workDir: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Raw TCP, so the framing is exactly what the test says: a head, the body, then FIN.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let head = "";
    socket.on("data", (chunk: Buffer) => {
      if (head.includes("\r\n\r\n")) return;
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.write(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n" +
          "Connection: close\r\n\r\n",
      );
      socket.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/burst`;
  workDir = await mkdtemp(join(tmpdir(), "sse-tool-slow-reader-"));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  await rm(workDir, { recursive: true, force: true });
});

/**
 * The readers: real processes on the other end of a pipe, asleep while listen writes. The second
 * one then reads 8 bytes at a time, slower than listen writes, so the pipe stays full to the end.
 * Whether undici 7's parser was still paused when it read the server's FIN depended on timing
 * (one pipeline crashed in about 1 of 8 tries with `cat`, 1 of 2 with `dd`), so each reader runs
 * three pipelines at once, each on its own connection: with undici 7 this file failed in 5 of 6
 * runs here, both tests in 2 of them.
 */
const readers = [
  { name: "sleep 3; cat", script: "sleep 3; exec cat" },
  { name: "sleep 3, then 8 bytes a read", script: "sleep 3; exec dd bs=8 2>/dev/null" },
];
const pipelinesPerReader = 3;

interface PipelineResult {
  code: number | null;
  stderr: string;
  stdout: string;
}

/**
 * `listen --json URL | (reader) > file` as a shell pipeline, so the pipe is a real pipe as a
 * user's is (a spawned child's stdio would be a socket pair with other buffer sizes). The reader
 * writes to a file, so this test process does not pace it. listen's exit code comes back on
 * stderr after its own output.
 */
async function runPipeline(readerScript: string, outFile: string): Promise<PipelineResult> {
  const pipeline = spawn(
    "sh",
    [
      "-c",
      `{ "$0" "$1" listen --json --no-reconnect "$2"; echo "listen exit code: $?" >&2; } | (${readerScript}) > "$3"`,
      process.execPath,
      binPath,
      url,
      outFile,
    ],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined },
    },
  );
  let stderr = "";
  pipeline.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const [code] = (await once(pipeline, "close")) as [number | null];
  return { code, stderr, stdout: await readFile(outFile, "utf8") };
}

function expectEveryEvent(stdout: string): void {
  const lines = stdout.split("\n");
  expect(lines.pop()).toBe("");
  expect(lines).toHaveLength(eventCount);
  lines.forEach((line, index) => {
    const event = JSON.parse(line) as { id: string; data: string };
    const n = index + 1;
    if (event.id !== String(n) || JSON.parse(event.data).n !== n) {
      expect.fail(`line ${n}: ${line}`);
    }
  });
}

describe("listen --json into a slow reader", () => {
  readers.forEach((reader, readerIndex) => {
    it(`a burst-then-close stream loses nothing and exits 0 (reader: ${reader.name})`, async () => {
      const results = await Promise.all(
        Array.from({ length: pipelinesPerReader }, (_, index) =>
          runPipeline(reader.script, join(workDir, `${readerIndex}-${index}.jsonl`)),
        ),
      );
      for (const result of results) {
        expect(result.stderr).not.toMatch(/AssertionError|\n\s+at /);
        expect(result.stderr).toMatch(/(^|\n)listen exit code: 0\n$/);
        expect(result.code).toBe(0);
        expectEveryEvent(result.stdout);
      }
    }, 60_000);
  });
});
