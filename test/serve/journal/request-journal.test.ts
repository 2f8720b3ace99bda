/**
 * The journal's ring and its waiters, called directly: order after the ring wraps, `after`,
 * copies, and waitFor() on a kept entry, a later change, a throwing predicate and a timeout.
 */
import { describe, expect, it } from "vitest";
import { type JournalRequest, RequestJournal } from "../../../src/serve/journal/request-journal.js";

const request = (path: string): Omit<JournalRequest, "seq"> => ({
  method: "GET",
  path,
  headers: {},
  peer: "127.0.0.1:1",
  startedAt: 0,
});
const timedOut = () => new Error("timed out");

describe("RequestJournal", () => {
  it.each([
    [3, 2, ["/1", "/2"]],
    [3, 3, ["/1", "/2", "/3"]],
    [3, 4, ["/2", "/3", "/4"]],
    [3, 8, ["/6", "/7", "/8"]],
    [1, 5, ["/5"]],
    [0, 5, []],
  ])("with room for %i, after %i requests keeps %j, oldest first", (capacity, added, paths) => {
    const journal = new RequestJournal(capacity);
    for (let n = 1; n <= added; n++) journal.add(request(`/${n}`));
    expect(journal.list().map((entry) => entry.path)).toEqual(paths);
    expect(journal.list().map((entry) => entry.seq)).toEqual(
      paths.map((path) => Number(path.slice(1))),
    );
  });

  it("lists only the requests after a seq", () => {
    const journal = new RequestJournal(10);
    for (let n = 1; n <= 4; n++) journal.add(request(`/${n}`));
    expect(journal.list(2).map((entry) => entry.seq)).toEqual([3, 4]);
    expect(journal.list(4)).toEqual([]);
  });

  it("hands out copies", () => {
    const journal = new RequestJournal(2);
    journal.add({ ...request("/a"), headers: { host: "x" } });
    const [copy] = journal.list();
    copy!.headers.host = "changed";
    copy!.path = "/changed";
    expect(journal.list()[0]).toMatchObject({ path: "/a", headers: { host: "x" } });
  });

  it("waitFor resolves at once with a kept request", async () => {
    const journal = new RequestJournal(5);
    journal.add(request("/kept"));
    await expect(
      journal.waitFor((entry) => entry.path === "/kept", 10, timedOut),
    ).resolves.toMatchObject({ seq: 1 });
  });

  it("waitFor resolves when a request learns what the predicate waits for", async () => {
    const journal = new RequestJournal(5);
    const entry = journal.add(request("/post"));
    const waited = journal.waitFor((seen) => seen.body === "hello", 1000, timedOut);
    journal.add(request("/other"));
    entry.body = "hello";
    journal.changed(entry);
    await expect(waited).resolves.toMatchObject({ seq: 1, body: "hello" });
  });

  it("waitFor still sees requests a journal of size 0 does not keep", async () => {
    const journal = new RequestJournal(0);
    const waited = journal.waitFor((seen) => seen.path === "/x", 1000, timedOut);
    journal.add(request("/x"));
    await expect(waited).resolves.toMatchObject({ path: "/x" });
  });

  it("waitFor rejects with the predicate's error, or after the timeout", async () => {
    const journal = new RequestJournal(5);
    const throwing = journal.waitFor(
      () => {
        throw new Error("bad predicate");
      },
      1000,
      timedOut,
    );
    journal.add(request("/any"));
    await expect(throwing).rejects.toThrow("bad predicate");
    await expect(journal.waitFor(() => false, 20, timedOut)).rejects.toThrow("timed out");
  });
});
