/**
 * The hub's back-pressure as the source sees it while it waits: each write that reaches a socket
 * asks again, and the answer comes from a search round the clients (back-pressure.ts), never
 * from a client looked at too long ago.
 */
import { describe, expect, it } from "vitest";
import { BroadcastHub } from "../../../src/serve/feeds/hub.js";
import type { HubClient } from "../../../src/serve/feeds/hub-client.js";

/** A client whose backlog is whatever the test says. */
class RecordingClient implements HubClient {
  sentSinceHeartbeat = false;
  stalled = false;
  progressed = false;
  backlogBytes = 0;
  send(): void {}
  drop(): void {}
}

const hubWith = () => new BroadcastHub({ historySize: 10, maxClientBufferBytes: 1024 ** 2 });

describe("BroadcastHub back-pressure while the source waits", () => {
  it("the source waits until the last congested client drains, whatever order they drain in", async () => {
    const orders = [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [2, 0, 4, 1, 3],
      [1, 3, 0, 4, 2],
    ];
    for (const order of orders) {
      const hub = hubWith();
      const clients = order.map(() => new RecordingClient());
      for (const client of clients) {
        hub.addClient(client);
        client.backlogBytes = 500;
      }
      let drained = false;
      const waiting = hub.whenDrained(100).then(() => {
        drained = true;
      });
      for (const [step, index] of order.entries()) {
        const client = clients[index]!;
        client.backlogBytes = 0;
        hub.clientDrained(client);
        await Promise.resolve();
        expect(drained).toBe(step === order.length - 1);
      }
      await waiting;
    }
  });

  it("a client looked at and found drained counts again once it is congested again", async () => {
    const hub = hubWith();
    const [a, b, c] = [new RecordingClient(), new RecordingClient(), new RecordingClient()];
    for (const client of [a, b, c]) hub.addClient(client);
    b.backlogBytes = 500;
    c.backlogBytes = 500;
    let drained = false;
    const waiting = hub.whenDrained(100).then(() => {
      drained = true;
    });
    // a was passed over on the way to b; it is over the mark again before the others drain.
    a.backlogBytes = 500;
    b.backlogBytes = 0;
    hub.clientDrained(b);
    c.backlogBytes = 0;
    hub.clientDrained(c);
    await Promise.resolve();
    expect(drained).toBe(false);
    a.backlogBytes = 0;
    hub.clientDrained(a);
    await waiting;
    expect(drained).toBe(true);
  });

  it("a client that joins congested while the source waits holds it too", async () => {
    const hub = hubWith();
    const [a, late] = [new RecordingClient(), new RecordingClient()];
    hub.addClient(a);
    a.backlogBytes = 500;
    let drained = false;
    const waiting = hub.whenDrained(100).then(() => {
      drained = true;
    });
    hub.addClient(late);
    late.backlogBytes = 500;
    a.backlogBytes = 0;
    hub.clientDrained(a);
    await Promise.resolve();
    expect(drained).toBe(false);
    hub.removeClient(late);
    await waiting;
    expect(drained).toBe(true);
  });

  it("nothing congested: whenDrained resolves at once", async () => {
    const hub = hubWith();
    const a = new RecordingClient();
    hub.addClient(a);
    a.backlogBytes = 100;
    let drained = false;
    void hub.whenDrained(100).then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(true);
  });

  it("a client catching up on the history is never marked stalled", () => {
    const hub = new BroadcastHub({ historySize: 10, maxClientBufferBytes: 1024 });
    hub.publish([{ data: "kept" }]);
    const replaying = new RecordingClient();
    // Over the replay piece: nothing of the history is sent yet, so it stays replaying.
    replaying.backlogBytes = 10_000;
    expect(hub.addClient(replaying, { lastEventId: "earliest" }).kind).toBe("earliest");
    expect(hub.isCongested(100)).toBe(false);
    expect(hub.markCongestedStalled()).toBe(0);
    expect(replaying.stalled).toBe(false);
  });
});
