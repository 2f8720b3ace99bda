/**
 * `sse-tool load` spawned as a user runs it, against a real server per scenario on 127.0.0.1:
 * a server that loses events for some clients, one that drops connections, duplicates and
 * reorders ids, and one that delays a client (skew). The counts must be exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/http-test-server.js";
import { broadcast, droppingStream, fixedStream, runLoad } from "./load-scenarios.js";

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);
const uuid = (n: number) => `0f8fad5b-d9cb-469f-a165-${String(n).padStart(12, "0")}`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    // Connection 2 misses ids 5 and 9, connection 3 misses id 12.
    "/lossy": broadcast({
      clients: 4,
      ids: range(1, 20),
      everyMs: 15,
      skip: (connection, id) =>
        (connection === 2 && (id === 5 || id === 9)) || (connection === 3 && id === 12),
    }),
    "/lossy-again": broadcast({
      clients: 4,
      ids: range(1, 20),
      everyMs: 15,
      skip: (connection, id) => connection === 2 && id === 5,
    }),
    // Ids that are not numbers: a client is missing an id when every other client got it.
    // Sent 1.3 s after the clients connected, so they count as settled (delivery.ts).
    "/lossy-uuid": broadcast({
      clients: 3,
      ids: range(1, 10).map(uuid),
      everyMs: 15,
      startAfterMs: 1300,
      skip: (connection, id) => connection === 1 && id === uuid(3),
    }),
    "/drops": droppingStream({ perStream: 5, last: 20, everyMs: 10 }),
    "/cuts": droppingStream({ perStream: 5, last: 20, everyMs: 10, cut: true }),
    // Every client: 3 twice in a row (the same event), 4 after 5, and 2 again at the end.
    "/dup-order": fixedStream(
      [1, 2, 3, 3, 5, 4, 6, 2].map((id) => `id: ${id}\ndata: event ${id}\n\n`).join(""),
    ),
    // Connection 1 gets each event 150 ms after the others.
    "/slow-one": broadcast({
      clients: 3,
      ids: range(1, 15),
      everyMs: 30,
      // 400 ms, checked as >= 145 below: a busy machine that runs load late squeezes what it
      // measures (every client's events are read at once), by up to 255 ms here.
      delayMs: (connection) => (connection === 1 ? 400 : 0),
      data: () => JSON.stringify({ sentAt: Date.now() }),
    }),
  });
});

afterAll(async () => {
  await server.close();
});

describe("load: delivery checked per client", () => {
  it("a lossy server is reported with the exact count, and fails --max-loss 0 (exit 4)", async () => {
    const { code, report, stderr } = await runLoad([
      "-c",
      "4",
      "--duration",
      "2.5",
      "--max-loss",
      "0",
      `${server.url}/lossy`,
    ]);
    expect({
      code,
      clients: report.clients,
      connected: report.connected,
      events: report.events,
      missing: report.missing,
      duplicates: report.duplicates,
      ids: report.ids,
    }).toEqual({
      code: 4,
      clients: 4,
      connected: 4,
      events: 77,
      missing: 3,
      duplicates: 0,
      ids: "sequence",
    });
    expect(report.worstClients.map((client) => client.missing)).toEqual([2, 1]);
    expect(stderr).toMatch(/sse-tool: assertion failed: --max-loss 0: 3 events missing/);
  });

  it("the same loss within --max-loss passes (exit 0)", async () => {
    const { code, report } = await runLoad([
      "-c",
      "4",
      "--duration",
      "2",
      "--max-loss",
      "1",
      `${server.url}/lossy-again`,
    ]);
    expect({ code, missing: report.missing }).toEqual({ code: 0, missing: 1 });
  });

  it("ids that are not numbers: the id all other clients got is missing for one", async () => {
    const { report } = await runLoad(["-c", "3", "--duration", "3", `${server.url}/lossy-uuid`]);
    expect({ ids: report.ids, events: report.events, missing: report.missing }).toEqual({
      ids: "opaque",
      events: 29,
      missing: 1,
    });
  });

  for (const [route, reason] of [
    ["drops", "ended"],
    ["cuts", "closed"],
  ] as const) {
    it(`a server that drops connections (${route}): drops and reconnects, nothing counted twice`, async () => {
      const { code, report } = await runLoad([
        "-c",
        "3",
        "--duration",
        "3",
        `${server.url}/${route}`,
      ]);
      // 20 events each in streams of 5: three drops and three reconnects per client.
      expect({
        code,
        events: report.events,
        missing: report.missing,
        duplicates: report.duplicates,
        outOfOrder: report.outOfOrder,
        reconnects: report.reconnects,
        dropped: report.connections.dropped,
        opened: report.connections.opened,
        connected: report.connected,
      }).toEqual({
        code: 0,
        events: 60,
        missing: 0,
        duplicates: 0,
        outOfOrder: 0,
        reconnects: 9,
        dropped: { [reason]: 9 },
        opened: 12,
        connected: 3,
      });
    });
  }

  it("duplicates and out-of-order ids are counted per client", async () => {
    const { report } = await runLoad(["-c", "2", "--duration", "1.5", `${server.url}/dup-order`]);
    expect({
      events: report.events,
      missing: report.missing,
      duplicates: report.duplicates,
      outOfOrder: report.outOfOrder,
    }).toEqual({ events: 16, missing: 0, duplicates: 4, outOfOrder: 2 });
    expect(report.worstClients).toHaveLength(2);
    expect(report.worstClients[0]).toMatchObject({ duplicates: 2, outOfOrder: 1, missing: 0 });
  });

  it("skew is measured against a server that delays one client; --max-skew-p99 fails on it", async () => {
    const { code, report, stderr } = await runLoad([
      "-c",
      "3",
      "--duration",
      "2.5",
      "--latency-field",
      "sentAt",
      "--max-skew-p99",
      "50ms",
      `${server.url}/slow-one`,
    ]);
    expect(report.skew).not.toBeNull();
    expect(report.skew!.p50).toBeGreaterThanOrEqual(145);
    expect(report.skew!.max).toBeLessThan(1000);
    expect(report.histograms.skew.count).toBe(15);
    // End-to-end latency from the send time in the data: the slow client's is >= 400 ms.
    expect(report.latency).not.toBeNull();
    expect(report.latency!.max).toBeGreaterThanOrEqual(145);
    expect(report.histograms.latency.count).toBe(45);
    expect(code).toBe(4);
    expect(stderr).toMatch(/assertion failed: --max-skew-p99 50 ms: fan-out skew p99 was \d+ ms/);
  });
});
