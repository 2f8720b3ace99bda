/**
 * Delivery accounting, table-driven: each case is what clients received (client, id, time),
 * and the counts a user must see. The end-to-end tests (delivery.e2e.test.ts) send the same kinds
 * of streams through real servers.
 */
import { describe, expect, it } from "vitest";
import { DeliveryAccounting } from "../../../src/load/accounting/delivery.js";
import type { DeliveryResult } from "../../../src/load/accounting/delivery-result.js";
import { eventFingerprint } from "../../../src/load/accounting/event-fingerprint.js";

const settleMs = 1000;

interface Delivery {
  client: number;
  id: string;
  at: number;
  data?: string;
}

/** Opens every client at `openAt` (default 0), settles them, replays `deliveries`, finishes. */
function account(
  clients: number,
  deliveries: Delivery[],
  options: { openAt?: number[]; endAt?: number; closeAt?: Array<[number, number]> } = {},
): DeliveryResult {
  const accounting = new DeliveryAccounting({ clients, settleMs });
  const opens = (options.openAt ?? new Array(clients).fill(0)).map((at, client) => ({
    at,
    run: () => accounting.streamOpened(client, at),
  }));
  const closes = (options.closeAt ?? []).map(([client, at]) => ({
    at,
    run: () => accounting.streamClosed(client, at),
  }));
  const events = deliveries.map((delivery) => ({
    at: delivery.at,
    run: () =>
      accounting.event(
        delivery.client,
        delivery.id,
        eventFingerprint("message", delivery.data ?? `data ${delivery.id}`),
        delivery.at,
      ),
  }));
  // Opens first, then closes, then events at equal times; a tick before each step.
  const steps = [...opens, ...closes, ...events].sort((a, b) => a.at - b.at);
  for (const step of steps) {
    accounting.tick(step.at);
    step.run();
  }
  return accounting.finish(options.endAt ?? Math.max(0, ...steps.map((step) => step.at)) + 5000);
}

/** Every client gets ids `from..to`, one every `everyMs` starting at `startAt`. */
function broadcast(
  clients: number[],
  from: number,
  to: number,
  startAt = 2000,
  everyMs = 10,
): Delivery[] {
  const deliveries: Delivery[] = [];
  for (let id = from; id <= to; id++) {
    for (const client of clients) {
      deliveries.push({ client, id: String(id), at: startAt + (id - from) * everyMs + client });
    }
  }
  return deliveries;
}

const totals = (result: DeliveryResult) => ({
  ids: result.ids,
  events: result.events,
  missing: result.missing,
  duplicates: result.duplicates,
  outOfOrder: result.outOfOrder,
});

describe("sequence ids", () => {
  it("a client that misses one id in the middle has exactly that one missing", () => {
    const deliveries = broadcast([0, 1, 2], 1, 20).filter(
      (delivery) => !(delivery.client === 2 && delivery.id === "7"),
    );
    const result = account(3, deliveries);
    expect(totals(result)).toEqual({
      ids: "sequence",
      events: 59,
      missing: 1,
      duplicates: 0,
      outOfOrder: 0,
    });
    expect(Array.from(result.clientMissing)).toEqual([0, 0, 1]);
  });

  it("an id sent twice is one duplicate, not a new event id", () => {
    const deliveries = broadcast([0, 1], 1, 5);
    deliveries.push({ client: 1, id: "3", at: 2100 });
    const result = account(2, deliveries);
    expect(totals(result)).toMatchObject({ missing: 0, duplicates: 1, outOfOrder: 0 });
    expect(Array.from(result.clientDuplicates)).toEqual([0, 1]);
  });

  it("the same event twice in a row (same id, same data) is a duplicate", () => {
    const deliveries: Delivery[] = [
      { client: 0, id: "1", at: 2000 },
      { client: 0, id: "2", at: 2010 },
      { client: 0, id: "2", at: 2011 },
      { client: 0, id: "3", at: 2020 },
    ];
    expect(totals(account(1, deliveries))).toMatchObject({ missing: 0, duplicates: 1 });
  });

  it("events without an id field keep the previous last event ID and are not duplicates", () => {
    const deliveries: Delivery[] = [
      { client: 0, id: "1", at: 2000, data: "a" },
      { client: 0, id: "1", at: 2001, data: "no id here" },
      { client: 0, id: "1", at: 2002, data: "nor here" },
      { client: 0, id: "2", at: 2010, data: "b" },
    ];
    expect(totals(account(1, deliveries))).toMatchObject({
      events: 4,
      missing: 0,
      duplicates: 0,
    });
  });

  it("a server replaying from the start after a reconnect shows the replay as duplicates", () => {
    const deliveries = broadcast([0], 1, 500);
    deliveries.push(...broadcast([0], 1, 510, 10_000));
    const result = account(1, deliveries);
    expect(totals(result)).toMatchObject({ missing: 0, duplicates: 500, outOfOrder: 0 });
  });

  it("ids arriving late are out of order, not missing", () => {
    const ids = [1, 2, 4, 3, 5, 8, 6, 7, 9];
    const deliveries = ids.map((id, index) => ({ client: 0, id: String(id), at: 2000 + index }));
    expect(totals(account(1, deliveries))).toMatchObject({
      missing: 0,
      duplicates: 0,
      outOfOrder: 3,
    });
  });

  it("a gap larger than the window is counted exactly", () => {
    const deliveries = [
      ...broadcast([0, 1], 1, 10),
      ...broadcast([0, 1], 1011, 1020, 3000),
      ...broadcast([0], 11, 1010, 2500, 0.1),
    ];
    const result = account(2, deliveries);
    expect(Array.from(result.clientMissing)).toEqual([0, 1000]);
    expect(result.missing).toBe(1000);
  });

  it("a client whose stream stalls misses what the others got afterwards", () => {
    const deliveries = broadcast([0, 1, 2], 1, 50).filter(
      (delivery) => !(delivery.client === 2 && Number(delivery.id) > 20),
    );
    const result = account(3, deliveries);
    expect(Array.from(result.clientMissing)).toEqual([0, 0, 30]);
  });

  it("a connected client that never gets anything misses everything sent after it settled", () => {
    const deliveries = broadcast([0, 1], 1, 40);
    const result = account(3, deliveries);
    expect(Array.from(result.clientMissing)).toEqual([0, 0, 40]);
    expect(Array.from(result.clientEvents)).toEqual([40, 40, 0]);
  });

  it("ids sent in the last moments before the end are not judged", () => {
    // Client 1 has not received 41..45 yet when the run ends 500 ms after they were sent.
    const deliveries = broadcast([0, 1], 1, 45).filter(
      (delivery) => !(delivery.client === 1 && Number(delivery.id) > 40),
    );
    const lastAt = Math.max(...deliveries.map((delivery) => delivery.at));
    const result = account(2, deliveries, { endAt: lastAt + 500 });
    expect(result.missing).toBe(0);
  });

  it("a client that connects late is held to ids from when it had settled", () => {
    // Client 2 opens at 2100 (ids 1..100 go out from 2000, every 10 ms) and gets 40..100: it
    // settled at 3100, after id 100 was sent, so nothing before its first id is expected.
    const deliveries = broadcast([0, 1, 2], 1, 100).filter(
      (delivery) => !(delivery.client === 2 && Number(delivery.id) < 40),
    );
    const result = account(3, deliveries, { openAt: [0, 0, 2100] });
    expect(Array.from(result.clientMissing)).toEqual([0, 0, 0]);
  });

  it("a late client missing ids sent after it settled has them counted", () => {
    // Client 2 opens at 0 (settled at 1000); ids 1..100 from 2000; it gets 40.. only.
    const deliveries = broadcast([0, 1, 2], 1, 100).filter(
      (delivery) => !(delivery.client === 2 && Number(delivery.id) < 40),
    );
    const result = account(3, deliveries);
    expect(Array.from(result.clientMissing)).toEqual([0, 0, 39]);
  });

  it("per-connection numbering (each client from 1, joining at different times) is not loss", () => {
    const deliveries: Delivery[] = [];
    const opens = [0, 1500, 3000];
    opens.forEach((openAt, client) => {
      for (let id = 1; id <= 100; id++) {
        deliveries.push({ client, id: String(id), at: openAt + 2000 + id * 10 });
      }
    });
    const result = account(3, deliveries, { openAt: opens });
    expect(totals(result)).toMatchObject({ missing: 0, duplicates: 0, outOfOrder: 0 });
  });

  it("a reconnect gap the server does not resume is loss", () => {
    const deliveries = broadcast([0, 1], 1, 30).filter(
      (delivery) =>
        !(delivery.client === 1 && Number(delivery.id) >= 11 && Number(delivery.id) <= 15),
    );
    const result = account(2, deliveries, { closeAt: [[1, 2100]] });
    expect(Array.from(result.clientMissing)).toEqual([0, 5]);
  });
});

describe("long runs (the kind of ids decided after 256 steps)", () => {
  it("a long sequence is still checked by gaps", () => {
    const deliveries = broadcast([0, 1, 2], 1, 400, 2000, 2).filter(
      (delivery) => !(delivery.client === 1 && (delivery.id === "37" || delivery.id === "333")),
    );
    const result = account(3, deliveries);
    expect(totals(result)).toMatchObject({ ids: "sequence", missing: 2, duplicates: 0 });
    expect(Array.from(result.clientMissing)).toEqual([0, 2, 0]);
  });

  it("long-running timestamps are compared across clients after the decision too", () => {
    const deliveries: Delivery[] = [];
    for (let index = 0; index < 400; index++) {
      const stamp = 1_700_000_000_000 + index * 37;
      for (let client = 0; client < 3; client++) {
        if (client === 2 && (index === 10 || index === 350)) continue;
        deliveries.push({ client, id: String(stamp), at: 2000 + index * 2 });
      }
    }
    const result = account(3, deliveries);
    expect(totals(result)).toMatchObject({ ids: "numeric", missing: 2, duplicates: 0 });
    expect(Array.from(result.clientMissing)).toEqual([0, 0, 2]);
  });
});

describe("other ids", () => {
  const uuid = (n: number) => `5f0c1e2a-0000-4000-8000-${String(n).padStart(12, "0")}`;

  it("an id all other clients got is missing for the one that did not", () => {
    const deliveries: Delivery[] = [];
    for (let n = 1; n <= 20; n++) {
      for (let client = 0; client < 4; client++) {
        if (client === 3 && (n === 5 || n === 9)) continue;
        deliveries.push({ client, id: uuid(n), at: 2000 + n * 10 + client });
      }
    }
    const result = account(4, deliveries);
    expect(totals(result)).toEqual({
      ids: "opaque",
      events: 78,
      missing: 2,
      duplicates: 0,
      outOfOrder: 0,
    });
    expect(Array.from(result.clientMissing)).toEqual([0, 0, 0, 2]);
  });

  it("duplicates and out-of-order ids are found by id, against the order others saw", () => {
    const deliveries: Delivery[] = [1, 2, 3, 4, 5, 6].map((n) => ({
      client: 0,
      id: uuid(n),
      at: 2000 + n * 10,
    }));
    [1, 2, 4, 3, 5, 2, 6].forEach((n, index) => {
      deliveries.push({ client: 1, id: uuid(n), at: 2100 + index * 10 });
    });
    const result = account(2, deliveries);
    expect(totals(result)).toMatchObject({ missing: 0, duplicates: 1, outOfOrder: 1 });
    expect(Array.from(result.clientOutOfOrder)).toEqual([0, 1]);
  });

  it("an id only some clients get (a topic) is not loss for the others", () => {
    const deliveries: Delivery[] = [];
    for (let n = 1; n <= 10; n++) {
      for (let client = 0; client < 6; client++) {
        // Clients 0-2 follow topic a, 3-5 topic b.
        const topic = n % 2 === 0 ? "a" : "b";
        if (client < 3 !== (topic === "a")) continue;
        deliveries.push({ client, id: `${topic}-${n}`, at: 2000 + n * 10 });
      }
    }
    expect(account(6, deliveries).missing).toBe(0);
  });

  it("numbers that are not a sequence (timestamps) are compared across clients", () => {
    const stamps = [1700000000123, 1700000000456, 1700000001789, 1700000002001];
    const deliveries: Delivery[] = [];
    stamps.forEach((stamp, index) => {
      for (let client = 0; client < 3; client++) {
        if (client === 1 && index === 2) continue;
        deliveries.push({ client, id: String(stamp), at: 2000 + index * 10 });
      }
    });
    const result = account(3, deliveries);
    expect(totals(result)).toMatchObject({ ids: "numeric", missing: 1, duplicates: 0 });
    expect(Array.from(result.clientMissing)).toEqual([0, 1, 0]);
  });

  it("a client connected less than settleMs before an id was sent is not held to it", () => {
    // Events already on their way when it connected may never reach it; that is not loss.
    const deliveries: Delivery[] = [0, 2, 3].map((client) => ({ client, id: "x", at: 2000 }));
    expect(account(4, deliveries, { openAt: [0, 1900, 0, 0] }).missing).toBe(0);
    expect(account(4, deliveries, { openAt: [0, 900, 0, 0] }).missing).toBe(1);
  });

  it("a client that connected after an id was sent is not held to it", () => {
    const deliveries: Delivery[] = [
      { client: 0, id: "a", at: 2000 },
      { client: 0, id: "b", at: 5000 },
      { client: 1, id: "b", at: 5001 },
    ];
    expect(account(2, deliveries, { openAt: [0, 2500] }).missing).toBe(0);
  });
});

describe("fan-out skew", () => {
  it("is the spread between the first and the last client for each id", () => {
    const deliveries: Delivery[] = [];
    for (let id = 1; id <= 100; id++) {
      deliveries.push({ client: 0, id: String(id), at: 2000 + id * 10 });
      deliveries.push({ client: 1, id: String(id), at: 2000 + id * 10 + 2 });
      deliveries.push({ client: 2, id: String(id), at: 2000 + id * 10 + 40 });
    }
    const skew = account(3, deliveries).skew;
    expect(skew.count).toBe(100);
    expect(skew.percentile(50)).toBeCloseTo(40, 0);
    expect(skew.percentile(100)).toBe(40);
  });
});
