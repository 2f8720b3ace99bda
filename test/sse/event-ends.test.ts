/**
 * Where each block ends in a byte stream (src/sse/event-ends.ts): the offsets serve's faults
 * cut at and a replay resumes from. Every split of the same stream must give the same ends.
 */
import { describe, expect, it } from "vitest";
import { type EventEnd, EventEndFinder } from "../../src/sse/event-ends.js";

/** The ends, as offsets into the whole stream, for the stream fed in these chunks. */
function endsOf(chunks: Uint8Array[]): Array<EventEnd & { at: number }> {
  const finder = new EventEndFinder();
  const ends: Array<EventEnd & { at: number }> = [];
  let base = 0;
  for (const chunk of chunks) {
    for (const end of finder.feed(chunk)) ends.push({ ...end, at: base + end.offset });
    base += chunk.length;
  }
  return ends;
}

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("EventEndFinder", () => {
  it("finds the end of each event, past its blank line, with the last event ID there", () => {
    const stream = "id: 1\ndata: a\n\n: comment\n\ndata: b\r\n\r\nid: 7\n\ndata: c\rdata: d\r\r";
    const ends = endsOf([bytes(stream)]);
    expect(
      ends.map(({ at, lastEventId, dispatched }) => ({ at, lastEventId, dispatched })),
    ).toEqual([
      { at: stream.indexOf("\n\n") + 2, lastEventId: "1", dispatched: true },
      // "data: b" ends with CRLF CRLF: the end is after the second LF.
      { at: stream.indexOf("\r\n\r\n") + 4, lastEventId: "1", dispatched: true },
      // An id alone: no event, but the last event ID changes.
      { at: stream.indexOf("id: 7\n\n") + 7, lastEventId: "7", dispatched: false },
      { at: stream.length, lastEventId: "7", dispatched: true },
    ]);
  });

  it("gives the same ends at every split point, also inside a character", () => {
    const stream = bytes("id: x\r\ndata: Grüße 👋\r\n\r\ndata: zwei\n\nid: y\ndata: drei\r\n\r\n");
    const whole = endsOf([stream]).map(({ at, lastEventId }) => [at, lastEventId]);
    expect(whole).toHaveLength(3);
    for (let cut = 1; cut < stream.length; cut++) {
      const split = endsOf([stream.subarray(0, cut), stream.subarray(cut)]);
      // A chunk that ends between the CR and the LF of a blank line: the event is dispatched at
      // the CR (a client cannot wait for the LF), so that is where its block ends.
      const expected = whole.map(([at, id]) =>
        at === cut + 1 && stream[cut - 1] === 0x0d && stream[cut] === 0x0a ? [cut, id] : [at, id],
      );
      expect(
        split.map(({ at, lastEventId }) => [at, lastEventId]),
        `cut at ${cut}`,
      ).toEqual(expected);
    }
  });

  it("ends each block at its own blank line when lines end in CR alone", () => {
    // Two events in one chunk, every line ended by a lone CR (no LF anywhere).
    expect(endsOf([bytes("data: a\r\rid: 2\rdata: b\r\r")])).toEqual([
      { offset: 9, at: 9, lastEventId: "", dispatched: true },
      { offset: 24, at: 24, lastEventId: "2", dispatched: true },
    ]);
  });

  it("leaves a blank line after an event's end to the next block (an LF is no CRLF's second half)", () => {
    expect(endsOf([bytes("data: a\n\n\ndata: b\n\n")])).toEqual([
      { offset: 9, at: 9, lastEventId: "", dispatched: true },
      { offset: 19, at: 19, lastEventId: "", dispatched: true },
    ]);
  });

  it("does not count comments, retry lines or an unfinished block", () => {
    expect(endsOf([bytes(": hi\n\nretry: 5\n\ndata: open")])).toEqual([]);
  });

  it("keeps the last event ID across bodies and restarts the body with startStream", () => {
    const finder = new EventEndFinder();
    finder.feed(bytes("id: 3\ndata: a\n\ndata: unfinished"));
    finder.startStream();
    expect(finder.feed(bytes("data: b\n\n"))).toEqual([
      { offset: 9, lastEventId: "3", dispatched: true },
    ]);
  });

  it("startStream drops the unfinished block: a blank line in the new body dispatches nothing", () => {
    const finder = new EventEndFinder();
    expect(finder.feed(bytes("data: lost\n"))).toEqual([]);
    finder.startStream();
    expect(finder.feed(bytes("\ndata: kept\n\n"))).toEqual([
      { offset: 13, lastEventId: "", dispatched: true },
    ]);
  });

  it("starts from the Last-Event-ID it is given (a resumed replay), and from none by default", () => {
    expect(new EventEndFinder().lastEventId).toBe("");
    const resumed = new EventEndFinder("41");
    expect(resumed.lastEventId).toBe("41");
    expect(resumed.feed(bytes("data: x\n\n"))).toEqual([
      { offset: 9, lastEventId: "41", dispatched: true },
    ]);
  });

  it("a CRLF blank line split across chunks: the LF is not taken as one more line", () => {
    const finder = new EventEndFinder();
    // Dispatched at the CR that ends the chunk (a client cannot wait for the LF).
    expect(finder.feed(bytes("data: a\r\n\r"))).toEqual([
      { offset: 10, lastEventId: "", dispatched: true },
    ]);
    // The LF that completes the CRLF starts nothing: the next blank line is the next event's.
    expect(finder.feed(bytes("\ndata: b\n\n"))).toEqual([
      { offset: 10, lastEventId: "", dispatched: true },
    ]);
  });
});
