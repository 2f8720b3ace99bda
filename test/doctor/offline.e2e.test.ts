/**
 * `doctor stream.jsonl`: the checks that need no live server, run on a `listen --record`
 * recording with its recorded times (the built binary, spawned): bursts and heartbeat judged
 * from the recording's `t`, CRLF framing and ids from its body, the live-only checks skipped
 * with why, and URL-only options refused.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sse-tool-doctor-offline-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function recording(name: string, chunks: Array<[number, string]>, end = 60_000) {
  const lines = [
    { type: "recording", version: 1, started: "2026-01-02T03:04:05.000Z", tool: "sse-tool" },
    { type: "request", t: 0, method: "GET", url: "http://127.0.0.1:8080/events", headers: {} },
    {
      type: "response",
      t: 10,
      status: 200,
      statusText: "OK",
      url: "http://127.0.0.1:8080/events",
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    },
    ...chunks.map(([t, text]) => ({ type: "chunk", t, text })),
    { type: "disconnect", t: end, reason: "stopped" },
  ];
  const file = join(dir, name);
  await writeFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
  return file;
}

interface Check {
  id: string;
  status: string;
  reason: string;
}

async function checksOf(file: string): Promise<Map<string, Check>> {
  const result = await runCli(["doctor", "--json", file]);
  expect(result.stderr).toBe("");
  const report = JSON.parse(result.stdout) as { checks: Check[] };
  return new Map(report.checks.map((check) => [check.id, check]));
}

describe("doctor reads a recording", () => {
  it("judges bursts and heartbeat from the recorded times", async () => {
    const burst = Array.from({ length: 5 }, (_, i) => `id: ${i + 1}\ndata: ${i}\n\n`).join("");
    // Silence for 40 s, then every event at once: a buffer flushed somewhere.
    const file = await recording("burst.jsonl", [[40_010, burst]]);
    const checks = await checksOf(file);
    expect(checks.get("bursts")?.status).toBe("warn");
    expect(checks.get("heartbeat")?.status).not.toBe("pass");
    expect(checks.get("heartbeat")?.reason).toMatch(/40\.0 s|60\.0 s/);
  });

  it("passes a stream with one event at a time and heartbeats, and reads CRLF framing and ids", async () => {
    const chunks: Array<[number, string]> = [[20, "retry: 2000\r\n\r\n"]];
    for (let i = 1; i <= 10; i++) {
      chunks.push([i * 1000, `id: ${i}\r\ndata: tick ${i}\r\n\r\n`]);
      chunks.push([i * 1000 + 500, ": heartbeat\r\n\r\n"]);
    }
    const file = await recording("steady.jsonl", chunks, 10_600);
    const checks = await checksOf(file);
    expect(checks.get("status")?.status).toBe("pass");
    expect(checks.get("bursts")?.status).toBe("pass");
    expect(checks.get("heartbeat")?.status).toBe("pass");
    expect(checks.get("ids")?.status).toBe("pass");
    expect(checks.get("retry")?.status).toBe("pass");
    expect(checks.get("line-endings")?.reason).toContain("CRLF");
    for (const id of ["cors", "resume", "http-version"]) {
      expect(checks.get(id)?.status).toBe("skip");
      expect(checks.get(id)?.reason).toContain("needs a live server");
    }
  });

  it("says on stderr that it read a recording and which checks it skipped", async () => {
    const result = await runCli(["doctor", "examples/stream.jsonl"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SKIP\s+resume\s+needs a live server/);
    expect(result.stderr).toContain("read from the recording examples/stream.jsonl");
  });

  it("refuses URL-only options (exit 2) and a raw capture (exit 1)", async () => {
    const refused = await runCli([
      "doctor",
      "--origin",
      "https://a.example",
      "examples/stream.jsonl",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--origin needs a URL");
    const raw = await runCli(["doctor", "examples/capture.sse"]);
    expect(raw.code).toBe(1);
    expect(raw.stderr).toContain("is not a listen --record recording");
    const missing = await runCli(["doctor", join(dir, "missing.jsonl")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*ENOENT/);
  });
});
