/**
 * --max-event-size against a 50 MB line: the event is skipped with a warning, the stream goes on,
 * the run exits 1 at its end, and memory stays bounded while the line streams past. Memory is
 * the child's peak RSS as measured by GNU time (`/usr/bin/time -f %M`, Debian's `time` package,
 * not on every fresh machine: hence a system test), not a self-report.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  eventStreamHeaders,
  startTestServer,
  type TestServer,
} from "../helpers/http-test-server.js";
import { runMeasured } from "../helpers/measured-run.js";

const lineBytes = 50 * 1024 * 1024;

/** Sends one event, a single 50 MB data line, then one more event, honouring back-pressure. */
function hugeLine(_request: unknown, response: ServerResponse): void {
  response.writeHead(200, eventStreamHeaders);
  response.write("data: small\n\ndata: ");
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  const pump = () => {
    while (sent < lineBytes && !response.destroyed) {
      sent += chunk.length;
      if (!response.write(chunk)) return void response.once("drain", pump);
    }
    if (!response.destroyed) response.end("\n\ndata: after\n\n");
  };
  pump();
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ "/huge-line": hugeLine });
});
afterAll(() => server.close());

describe("listen --max-event-size", () => {
  it("a 50 MB event over the limit is skipped with a warning; the stream goes on; exit 1", async () => {
    const result = await runMeasured([
      "listen",
      "--json",
      "--no-reconnect",
      "--max-event-size",
      "1MiB",
      `${server.url}/huge-line`,
    ]);
    expect(result.code).toBe(1);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).data);
    expect(events).toEqual(["small", "after"]);
    expect(result.stderr).toMatch(
      /sse-tool: warning: skipped an event larger than --max-event-size \(1\.0 MiB\) near byte \d+\n/,
    );
    expect(result.stderr).toMatch(
      /sse-tool: decode problems: 1 event over --max-event-size skipped\n[\s\S]*sse-tool: 1 event over --max-event-size \(1\.0 MiB\) skipped\n$/,
    );
    // Measured: ~105 MiB peak here (Node itself ~60 MiB); reading the whole 50 MB line into
    // memory instead peaks above 350 MiB.
    expect(result.peakRssKiB).toBeLessThan(200 * 1024);
  });
});
