/**
 * doctor says how a quiet stream was closed: with a response end, cut without one, or reset;
 * against raw servers that close a stream after a second and a half of silence, each its way.
 */
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/doctor/checks/result.js";
import { runCli } from "../helpers/cli-process.js";
import { type RawTcpServer, startRawTcpServer } from "../helpers/raw-tcp-server.js";

const quietMs = 1500;
const head =
  "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n" +
  "transfer-encoding: chunked\r\n\r\n";
const event = "id: 1\ndata: one\n\n";
const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;

const closings = {
  end: (socket: Socket) => socket.end("0\r\n\r\n"),
  cut: (socket: Socket) => socket.end(),
  reset: (socket: Socket) => socket.resetAndDestroy(),
};
const servers: Partial<Record<keyof typeof closings, RawTcpServer>> = {};

beforeAll(async () => {
  for (const [how, close] of Object.entries(closings)) {
    servers[how as keyof typeof closings] = await startRawTcpServer((socket) => {
      socket.write(head + chunk(event));
      setTimeout(() => close(socket), quietMs);
    });
  }
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

const cases: Array<[keyof typeof closings, RegExp]> = [
  ["end", /, with a response end: /],
  ["cut", /, without a response end \(the connection closed mid-response\): /],
  ["reset", /, with a reset \(ECONNRESET\): /],
];

describe.concurrent("doctor: how a quiet stream was closed", () => {
  it.each(cases)("%s", async (how, said) => {
    const result = await runCli(["doctor", "--json", "--duration", "6", `${servers[how]!.url}/`]);
    const report = JSON.parse(result.stdout) as { checks: CheckResult[] };
    const idleCut = report.checks.find((check) => check.id === "idle-cut");
    expect(idleCut?.status).toBe("warn");
    // The silence measured: at least the server's, with room for a busy machine.
    const measured = Number(
      /^closed after (\d+\.\d) s of silence/.exec(idleCut?.reason ?? "")?.[1],
    );
    expect(measured).toBeGreaterThanOrEqual(1.4);
    expect(measured).toBeLessThan(5);
    expect(idleCut?.reason).toMatch(said);
    expect(idleCut?.reason).toContain("no known default matches");
  });
});
