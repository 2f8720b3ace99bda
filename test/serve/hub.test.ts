import { describe, expect, it } from "vitest";
import { BroadcastHub, type HubClient } from "../../src/serve/hub.js";

/** A client that records what it was sent; its backlog is whatever the test says. */
class RecordingClient implements HubClient {
  sentSinceHeartbeat = false;
  stalled = false;
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
    hub.addClient(client, "0", Buffer.from("retry: 50\n\n"));
    expect(client.text.startsWith("retry: 50\n\n")).toBe(true);
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
      const result = hub.eventsSince(testCase.lastEventId);
      expect(result.found).toBe(testCase.found);
      const data = result.events.map((entry) => /data: (.*)/.exec(entry.bytes.toString())?.[1]);
      expect(data).toEqual(testCase.expectedData);
    });
  }

  it("a resuming client gets the missed events, then live ones, in order", () => {
    const hub = hubWith({ assignIds: true });
    hub.publish([{ data: "a" }, { data: "b" }, { data: "c" }]);
    const client = new RecordingClient();
    expect(hub.addClient(client, "1")).toEqual({ kind: "resumed", missedEvents: 2 });
    hub.publish([{ data: "d" }]);
    expect(client.text).toBe("id: 2\ndata: b\n\nid: 3\ndata: c\n\nid: 4\ndata: d\n\n");
  });

  it("history 0 keeps nothing", () => {
    const hub = hubWith({ historySize: 0, assignIds: true });
    hub.publish([{ data: "a" }]);
    expect(hub.historyLength).toBe(0);
    expect(hub.eventsSince("1")).toEqual({ found: false, events: [] });
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
