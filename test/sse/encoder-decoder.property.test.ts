/**
 * Property tests (issue 5): what serve's encoder writes, listen's decoder reads back exactly,
 * however the byte stream is cut into chunks; and no byte stream makes the decoder throw or
 * hold more than its bound.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventStreamDecoder, type StreamEvent } from "../../src/sse/decoder.js";
import {
  encodeComment,
  encodeEvent,
  type OutgoingEvent,
  outgoingEventProblem,
} from "../../src/sse/encoder.js";

/** Any string, with the line-break characters that matter over-represented. */
const anyText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom("a", " ", ":", "\r", "\n", "\0", "é", "😀", "\uFEFF"),
    maxLength: 30,
  }),
  fc.string({ unit: "binary", maxLength: 30 }),
);

const outgoingEvent: fc.Arbitrary<OutgoingEvent> = fc
  .record(
    {
      event: anyText,
      data: anyText,
      id: anyText,
      retry: fc.nat(),
      comment: anyText,
    },
    { requiredKeys: ["data"] },
  )
  .filter((event) => outgoingEventProblem(event) === undefined);

/** Cuts bytes at the given points (sorted, deduplicated, in range). */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const sorted = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of sorted) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** What a browser should see for an event: UTF-8 round trip, line breaks normalised to LF. */
function expectedFor(event: OutgoingEvent, lastEventId: string): StreamEvent {
  const utf8 = (text: string) => Buffer.from(text, "utf8").toString("utf8");
  return {
    type: event.event === undefined || event.event === "" ? "message" : utf8(event.event),
    data: utf8(event.data ?? "").replace(/\r\n|\r/g, "\n"),
    lastEventId,
    // An event without an id of its own carries the one an earlier event set.
    ...(event.id === undefined && lastEventId !== "" ? { inheritedId: true as const } : {}),
  };
}

describe("encoder → decoder round trip", () => {
  it("gives back every event, for any split of the byte stream", () => {
    fc.assert(
      fc.property(
        fc.array(outgoingEvent, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (events, splitPoints) => {
          const text = events.map(encodeEvent).join("");
          const received: StreamEvent[] = [];
          const retries: number[] = [];
          const decoder = new EventStreamDecoder({
            onEvent: (event) => received.push(event),
            onRetry: (ms) => retries.push(ms),
          });
          for (const chunk of cut(Buffer.from(text, "utf8"), splitPoints)) decoder.feed(chunk);
          decoder.endStream();

          let lastEventId = "";
          const expected = events.map((event) => {
            if (event.id !== undefined)
              lastEventId = Buffer.from(event.id, "utf8").toString("utf8");
            return expectedFor(event, lastEventId);
          });
          expect(received).toEqual(expected);
          expect(retries).toEqual(
            events.flatMap((event) => (event.retry === undefined ? [] : [event.retry])),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("heartbeat comments between events change nothing", () => {
    fc.assert(
      fc.property(fc.array(outgoingEvent, { maxLength: 5 }), anyText, (events, note) => {
        const received: StreamEvent[] = [];
        const decoder = new EventStreamDecoder({ onEvent: (event) => received.push(event) });
        decoder.feedText(events.map((event) => encodeComment(note) + encodeEvent(event)).join(""));
        expect(received).toHaveLength(events.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe("decoder on arbitrary bytes", () => {
  const maxEventSize = 64;
  /**
   * Byte pieces that make events among the noise: data lines at the bound (a line of exactly
   * `maxEventSize` code units, data of exactly the bound, one past it), ids, types, blank lines,
   * and arbitrary bytes.
   */
  const piece = fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 40 }), weight: 1 },
    {
      arbitrary: fc.constantFrom("\n", "\r", "\r\n", "\n\n", "data: a\n", "id: 1\n", "event: t\n"),
      weight: 4,
    },
    {
      arbitrary: fc
        .integer({ min: maxEventSize - 8, max: maxEventSize + 2 })
        .map((length) => `data: ${"x".repeat(length)}\n\n`),
      weight: 3,
    },
  );
  const toBytes = (value: Uint8Array | string) =>
    typeof value === "string" ? Buffer.from(value) : value;

  it("never throws and never holds more than its bound", () => {
    // Counted over all runs: the checks inside the handlers must really run, many times.
    let eventsChecked = 0;
    let eventsAtTheBound = 0;
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (pieces, splitPoints) => {
          let overflows = 0;
          const decoder = new EventStreamDecoder(
            {
              onEvent: (event) => {
                expect(event.data.length).toBeLessThanOrEqual(maxEventSize);
                eventsChecked++;
                if (event.data.length === maxEventSize) eventsAtTheBound++;
              },
              onProblem: (problem) => {
                if (problem.type === "event-too-large") overflows++;
              },
            },
            { maxEventSize },
          );
          const bytes = Buffer.concat(pieces.map(toBytes));
          for (const chunk of cut(bytes, splitPoints)) {
            decoder.feed(chunk);
            expect(decoder.bufferedLength).toBeLessThanOrEqual(maxEventSize);
          }
          decoder.endStream();
          // Each skipped event is told once: at most one more than the blank lines ending them.
          const text = bytes.toString("latin1");
          const blankLines = text.match(/\n\n|\r\r|\n\r/g)?.length ?? 0;
          expect(overflows).toBeLessThanOrEqual(1 + blankLines);
        },
      ),
      { numRuns: 500 },
    );
    expect(eventsChecked).toBeGreaterThan(300);
    expect(eventsAtTheBound).toBeGreaterThan(20);
  });

  it("delivers every event whose line fits the bound, and none whose data is over it", () => {
    // Whole blocks with random chunk boundaries: a data line of up to `maxEventSize` code units
    // (its data 6 fewer) always fits, however it is cut; data over the bound never comes out.
    // Between the two, whether the event fits depends on where the chunks are cut.
    const block = fc.oneof(
      fc.integer({ min: 0, max: maxEventSize - 6 }).map((length) => ({ length, fits: true })),
      fc
        .integer({ min: maxEventSize + 1, max: maxEventSize + 40 })
        .map((length) => ({ length, fits: false })),
    );
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (blocks, splitPoints) => {
          const received: string[] = [];
          let problems = 0;
          const decoder = new EventStreamDecoder(
            { onEvent: (event) => received.push(event.data), onProblem: () => problems++ },
            { maxEventSize },
          );
          const text = blocks
            .map(
              ({ length }, index) => `data: ${String.fromCharCode(97 + index).repeat(length)}\n\n`,
            )
            .join("");
          for (const chunk of cut(Buffer.from(text), splitPoints)) decoder.feed(chunk);
          expect(received).toEqual(
            blocks.flatMap(({ length, fits }, index) =>
              fits ? [String.fromCharCode(97 + index).repeat(length)] : [],
            ),
          );
          expect(problems).toBe(blocks.filter(({ fits }) => !fits).length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("skips an over-long event (reported once) and goes on with the next one", () => {
    fc.assert(
      fc.property(
        // A limit that the small lines around the big one fit in.
        fc.integer({ min: 20, max: 100 }),
        fc.integer({ min: 101, max: 500 }),
        fc.integer({ min: 1, max: 40 }),
        (limit, length, chunkSize) => {
          const problems: string[] = [];
          const decoder = new EventStreamDecoder(
            {
              onEvent: (event) => problems.push(`event ${event.data} ${event.lastEventId}`),
              onProblem: (p) => problems.push(p.type),
            },
            { maxEventSize: limit },
          );
          const text = `id: 1\ndata: ${"x".repeat(length)}\r\ndata: more\r\n\r\ndata: ok\n\n`;
          for (let i = 0; i < text.length; i += chunkSize) {
            decoder.feedText(text.slice(i, i + chunkSize));
            expect(decoder.bufferedLength).toBeLessThanOrEqual(limit);
          }
          // The skipped event's id still counts (dispatch step 1); the next event is whole.
          expect(problems).toEqual(["event-too-large", "event ok 1"]);
        },
      ),
    );
  });
});
