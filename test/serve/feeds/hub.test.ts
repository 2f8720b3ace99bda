import { describe, expect, it } from "vitest";
import { BroadcastHub } from "../../../src/serve/feeds/hub.js";
import type { HubClient } from "../../../src/serve/feeds/hub-client.js";

/** A client that records what it was sent; its backlog is whatever the test says. */
class RecordingClient implements HubClient {
  sentSinceHeartbeat = false;
  stalled = false;
  progressed = false;
  backlogBytes = 0;
  chunks: Buffer[] = [];
  droppedFor: string | undefined;
  send(chunk: Buffer): void {
    this.chunks.push(chunk);
  }
  drop(reason: string): void {
    this.droppedFor = reason;
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

const hubWith = (options: Partial<ConstructorParameters<typeof BroadcastHub>[0]> = {}) =>
  new BroadcastHub({ historySize: 1000, maxClientBufferBytes: 1024 ** 2, ...options });

describe("BroadcastHub fan-out", () => {
  it("writes one batch as the same buffer object to every client", () => {
    const hub = hubWith();
    const a = new RecordingClient();
    const b = new RecordingClient();
    hub.addClient(a);
    hub.addClient(b);
    hub.publish([{ data: "one" }, { event: "x", data: "two\nlines" }]);
    expect(a.chunks).toHaveLength(1);
    expect(b.chunks[0]).toBe(a.chunks[0]);
    expect(a.text).toBe("data: one\n\nevent: x\ndata: two\ndata: lines\n\n");
  });

  it("numbers events without id when assignIds is on, keeps given ids", () => {
    const hub = hubWith({ assignIds: true });
    const result = hub.publish([{ data: "a" }, { data: "b", id: "mine" }, { data: "c" }]);
    expect(result.published.map((event) => event.id)).toEqual(["1", "mine", "3"]);
  });

  it("--ids numbering continues after the largest numeric id the stream carried", () => {
    const hub = hubWith({ assignIds: true });
    const ids = (events: Array<{ data: string; id?: string }>) =>
      hub.publish(events).published.map((event) => event.id);
    expect(ids([{ data: "a", id: "41" }, { data: "b" }, { data: "c" }])).toEqual([
      "41",
      "42",
      "43",
    ]);
    // A smaller or non-numeric id does not pull the numbering back.
    expect(ids([{ data: "d", id: "7" }, { data: "e", id: "x9" }, { data: "f" }])).toEqual([
      "7",
      "x9",
      "44",
    ]);
    // Not a number --ids could collide with: too long to be a safe integer, or not digits.
    expect(
      ids([
        { data: "g", id: "12345678901234567890" },
        { data: "h", id: "1e9" },
      ]),
    ).toEqual(["12345678901234567890", "1e9"]);
    expect(ids([{ data: "i" }])).toEqual(["45"]);
  });

  it("rejects ids with CR, LF or NUL and keeps the rest", () => {
    const hub = hubWith();
    const client = new RecordingClient();
    hub.addClient(client);
    const result = hub.publish([
      { data: "ok" },
      { data: "bad", id: "a\nb" },
      { data: "x\0", id: "\0" },
    ]);
    expect(result.rejected.map((rejected) => rejected.index)).toEqual([1, 2]);
    expect(client.text).toBe("data: ok\n\n");
  });

  it("sends the prelude (retry) to a new client before anything else", () => {
    const hub = hubWith();
    hub.publish([{ data: "old", id: "1" }]);
    const client = new RecordingClient();
    hub.addClient(client, { lastEventId: "0", prelude: Buffer.from("retry: 50\n\n") });
    expect(client.text.startsWith("retry: 50\n\n")).toBe(true);
  });

  it("sends the prelude first to a client resuming a known id too, then what it missed", () => {
    const hub = hubWith({ assignIds: true });
    hub.publish(["a", "b", "c"].map((data) => ({ data })));
    const client = new RecordingClient();
    hub.addClient(client, { lastEventId: "1", prelude: Buffer.from("retry: 50\n\n") });
    expect(client.text).toBe("retry: 50\n\nid: 2\ndata: b\n\nid: 3\ndata: c\n\n");
  });

  it("drops a client whose backlog stays over the bound, not one a batch briefly carries over", () => {
    const hub = hubWith({ maxClientBufferBytes: 100 });
    const behind = new RecordingClient();
    const over = new RecordingClient();
    const fast = new RecordingClient();
    hub.addClient(behind);
    hub.addClient(over);
    hub.addClient(fast);
    behind.backlogBytes = 90;
    over.backlogBytes = 101;
    hub.publish([{ data: "x".repeat(20) }]);
    expect(behind.droppedFor).toBeUndefined();
    expect(over.droppedFor).toMatch(/101 bytes unsent/);
    expect(fast.droppedFor).toBeUndefined();
    expect(hub.clientCount).toBe(2);
    // A client with nothing pending takes even a chunk larger than the bound.
    hub.publish([{ data: "y".repeat(500) }]);
    expect(fast.droppedFor).toBeUndefined();
    // Exactly at the bound is not over it.
    behind.backlogBytes = 100;
    hub.publish([{ data: "z" }]);
    expect(behind.droppedFor).toBeUndefined();
  });

  it("heartbeats only clients that were sent nothing since the last tick", () => {
    const hub = hubWith();
    const busy = new RecordingClient();
    const idle = new RecordingClient();
    hub.addClient(busy);
    hub.publish([{ data: "x" }]);
    hub.addClient(idle);
    hub.heartbeat();
    expect(busy.text).toBe("data: x\n\n");
    expect(idle.text).toBe(": heartbeat\n\n");
    hub.heartbeat();
    expect(busy.text).toBe("data: x\n\n: heartbeat\n\n");
    expect(idle.text).toBe(": heartbeat\n\n: heartbeat\n\n");
  });
});

describe("BroadcastHub history and Last-Event-ID", () => {
  const cases: Array<{
    name: string;
    historySize: number;
    lastEventId: string;
    expectedData: string[];
    found: boolean;
  }> = [
    {
      name: "known id: the events after it",
      historySize: 10,
      lastEventId: "2",
      expectedData: ["c", "d", "e"],
      found: true,
    },
    {
      name: "newest id: nothing missed",
      historySize: 10,
      lastEventId: "5",
      expectedData: [],
      found: true,
    },
    {
      name: "unknown id: every kept event",
      historySize: 10,
      lastEventId: "zz",
      expectedData: ["a", "b", "c", "d", "e"],
      found: false,
    },
    {
      name: "evicted id: every kept event",
      historySize: 2,
      lastEventId: "1",
      expectedData: ["d", "e"],
      found: false,
    },
    {
      name: "ring wrapped, known id",
      historySize: 3,
      lastEventId: "3",
      expectedData: ["d", "e"],
      found: true,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const hub = hubWith({ historySize: testCase.historySize, assignIds: true });
      hub.publish(["a", "b", "c", "d", "e"].map((data) => ({ data })));
      const client = new RecordingClient();
      const outcome = hub.addClient(client, { lastEventId: testCase.lastEventId });
      expect(outcome.kind).toBe(testCase.found ? "resumed" : "unknown-id");
      expect(client.text.match(/data: .*/g)?.map((line) => line.slice(6)) ?? []).toEqual(
        testCase.expectedData,
      );
    });
  }

  it("a resuming client gets the missed events, then live ones, in order", () => {
    const hub = hubWith({ assignIds: true });
    hub.publish([{ data: "a" }, { data: "b" }, { data: "c" }]);
    const client = new RecordingClient();
    expect(hub.addClient(client, { lastEventId: "1" })).toEqual({
      kind: "resumed",
      missedEvents: 2,
    });
    hub.publish([{ data: "d" }]);
    expect(client.text).toBe("id: 2\ndata: b\n\nid: 3\ndata: c\n\nid: 4\ndata: d\n\n");
  });

  it("Last-Event-ID: earliest and --replay-history send every kept event; otherwise live only", () => {
    const hub = hubWith({ historySize: 3, assignIds: true });
    hub.publish(["a", "b", "c", "d"].map((data) => ({ data })));
    const earliest = new RecordingClient();
    const replayed = new RecordingClient();
    const live = new RecordingClient();
    expect(hub.addClient(earliest, { lastEventId: "earliest" })).toEqual({
      kind: "earliest",
      missedEvents: 3,
    });
    expect(hub.addClient(replayed, { replayHistory: true })).toEqual({
      kind: "replay-history",
      missedEvents: 3,
    });
    expect(hub.addClient(live)).toEqual({ kind: "live", keptEvents: 3 });
    hub.publish([{ data: "e" }]);
    const kept = "id: 2\ndata: b\n\nid: 3\ndata: c\n\nid: 4\ndata: d\n\n";
    expect(earliest.text).toBe(`${kept}id: 5\ndata: e\n\n`);
    expect(replayed.text).toBe(`${kept}id: 5\ndata: e\n\n`);
    expect(live.text).toBe("id: 5\ndata: e\n\n");
    // A client's own Last-Event-ID wins over --replay-history.
    const resumed = new RecordingClient();
    hub.addClient(resumed, { lastEventId: "4", replayHistory: true });
    expect(resumed.text).toBe("id: 5\ndata: e\n\n");
  });

  it("an id used again: evicting its old event keeps the newer one findable", () => {
    const hub = hubWith({ historySize: 3 });
    hub.publish([
      { data: "a", id: "x" },
      { data: "b", id: "y" },
      { data: "c", id: "x" },
      // Evicts a (id x): the index must still point at c.
      { data: "d", id: "z" },
    ]);
    const client = new RecordingClient();
    expect(hub.addClient(client, { lastEventId: "x" })).toEqual({
      kind: "resumed",
      missedEvents: 1,
    });
    expect(client.text).toBe("id: z\ndata: d\n\n");
    // Evicting c itself forgets x; y went with b.
    hub.publish([
      { data: "e", id: "w" },
      { data: "f", id: "v" },
    ]);
    for (const gone of ["x", "y"]) {
      expect(hub.addClient(new RecordingClient(), { lastEventId: gone }).kind).toBe("unknown-id");
    }
    expect(hub.addClient(new RecordingClient(), { lastEventId: "z" })).toEqual({
      kind: "resumed",
      missedEvents: 2,
    });
  });

  it("history 0 keeps nothing", () => {
    const hub = hubWith({ historySize: 0, assignIds: true });
    hub.publish([{ data: "a" }]);
    expect(hub.historyLength).toBe(0);
    const client = new RecordingClient();
    expect(hub.addClient(client, { lastEventId: "earliest" })).toEqual({
      kind: "earliest",
      missedEvents: 0,
    });
    expect(client.chunks).toEqual([]);
  });
});

/** A client whose socket takes bytes only when the test says so. */
class SlowClient extends RecordingClient {
  override send(chunk: Buffer): void {
    super.send(chunk);
    this.backlogBytes += chunk.length;
  }
  /** The peer took everything queued: the server reports each write as flushed. */
  takeAll(hub: BroadcastHub): void {
    this.backlogBytes = 0;
    hub.clientDrained(this);
  }
}

describe("BroadcastHub replay in bounded pieces", () => {
  const bigEvents = (count: number, size: number) =>
    Array.from({ length: count }, (_, i) => ({ data: `${i + 1}:`.padEnd(size, "x") }));

  it("queues at most --max-client-buffer for a client that does not read, however large the history", () => {
    const hub = hubWith({ historySize: 100, maxClientBufferBytes: 256 * 1024, assignIds: true });
    hub.publish(bigEvents(100, 100_000)); // 10 MB kept
    const stuck = new SlowClient();
    hub.addClient(stuck, { lastEventId: "earliest" });
    expect(stuck.backlogBytes).toBeLessThanOrEqual(256 * 1024);
    // Pieces are views or bounded copies: none is larger than a piece.
    expect(Math.max(...stuck.chunks.map((chunk) => chunk.length))).toBeLessThanOrEqual(128 * 1024);
    // Live events for it wait in the ring, not in its queue.
    hub.publish([{ data: "live" }]);
    expect(stuck.backlogBytes).toBeLessThanOrEqual(256 * 1024);
    expect(stuck.droppedFor).toBeUndefined();
  });

  it("a client that takes its bytes gets the whole history, then live events, in order, byte-exact", () => {
    const hub = hubWith({ historySize: 50, maxClientBufferBytes: 64 * 1024, assignIds: true });
    const events = bigEvents(50, 5_000);
    hub.publish(events);
    const reader = new SlowClient();
    const watcher = new RecordingClient();
    hub.addClient(watcher);
    hub.addClient(reader, { lastEventId: "earliest" });
    let rounds = 0;
    while (reader.backlogBytes > 0 && rounds++ < 1000) {
      if (rounds === 3) hub.publish([{ data: "during replay" }]);
      reader.takeAll(hub);
    }
    hub.publish([{ data: "after" }]);
    const expected = [...events, { data: "during replay" }, { data: "after" }]
      .map((event, i) => `id: ${i + 1}\ndata: ${event.data}\n\n`)
      .join("");
    expect(reader.text).toBe(expected);
    expect(watcher.text).toBe(expected.slice(expected.indexOf("id: 51\n")));
  });

  it("drops a replaying client once the ring lets go of events it has not been sent", () => {
    const hub = hubWith({ historySize: 10, maxClientBufferBytes: 1024, assignIds: true });
    hub.publish(bigEvents(10, 1_000));
    const stuck = new SlowClient();
    hub.addClient(stuck, { lastEventId: "earliest" });
    hub.publish(bigEvents(5, 10));
    expect(stuck.droppedFor).toMatch(/--history ring/);
    expect(hub.clientCount).toBe(0);
  });

  it("a replaying client does not hold the source back", () => {
    const hub = hubWith({ historySize: 100, maxClientBufferBytes: 1024 ** 2, assignIds: true });
    hub.publish(bigEvents(100, 10_000));
    const stuck = new SlowClient();
    hub.addClient(stuck, { lastEventId: "earliest" });
    expect(stuck.backlogBytes).toBeGreaterThan(1000);
    expect(hub.isCongested(1000)).toBe(false);
  });
});

describe("BroadcastHub back-pressure", () => {
  it("whenDrained waits for congested clients, and stalled ones stop counting", async () => {
    const hub = hubWith();
    const a = new RecordingClient();
    const b = new RecordingClient();
    hub.addClient(a);
    hub.addClient(b);
    a.backlogBytes = 500;
    b.backlogBytes = 500;
    let drained = false;
    const waiting = hub.whenDrained(100).then(() => {
      drained = true;
    });
    a.backlogBytes = 0;
    hub.clientDrained(a);
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(hub.markCongestedStalled()).toBe(1);
    await waiting;
    expect(drained).toBe(true);
    expect(b.stalled).toBe(true);
    expect(hub.isCongested(100)).toBe(false);
  });

  it("a slow client still reading is waited for; one that stopped for a whole period is not", () => {
    const hub = hubWith();
    const slow = new RecordingClient();
    const atTheMark = new RecordingClient();
    const idle = new RecordingClient();
    hub.addClient(slow);
    hub.addClient(atTheMark);
    hub.addClient(idle);
    atTheMark.backlogBytes = 100;
    expect(hub.isCongested(100)).toBe(false);
    slow.backlogBytes = 500;
    expect(hub.isCongested(100)).toBe(true);
    // One of its writes reached the socket during the period, though it is still over the mark.
    slow.backlogBytes = 400;
    hub.clientDrained(slow);
    expect(hub.markCongestedStalled()).toBe(0);
    expect(slow.stalled).toBe(false);
    expect(hub.isCongested(100)).toBe(true);
    // A whole period without progress: now it is stalled, and the source no longer waits.
    // Clients at or below the mark are never marked, and a stalled one is not counted again.
    expect(hub.markCongestedStalled()).toBe(1);
    expect(slow.stalled).toBe(true);
    expect([atTheMark.stalled, idle.stalled]).toEqual([false, false]);
    expect(hub.isCongested(100)).toBe(false);
    expect(hub.markCongestedStalled()).toBe(0);
    // Progress again: waited for again.
    hub.clientDrained(slow);
    expect(slow.stalled).toBe(false);
    expect(hub.isCongested(100)).toBe(true);
  });

  it("removing the congested client releases the wait", async () => {
    const hub = hubWith();
    const a = new RecordingClient();
    hub.addClient(a);
    a.backlogBytes = 500;
    const waiting = hub.whenDrained(100);
    hub.removeClient(a);
    await expect(waiting).resolves.toBeUndefined();
  });
});
