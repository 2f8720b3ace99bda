import { describe, expect, it } from "vitest";
import { leavesDecoderUnchanged } from "../../../src/load/clients/client.js";
import { EventStreamDecoder, type StreamEvent } from "../../../src/sse/decoder.js";

/** What a fresh decoder makes of `texts`, fed in order: events, retries and problems. */
function decode(texts: string[], maxEventSize = Number.POSITIVE_INFINITY) {
  const seen: unknown[] = [];
  const decoder = new EventStreamDecoder(
    {
      onEvent: (event: StreamEvent) => seen.push({ ...event }),
      onRetry: (ms) => seen.push({ retry: ms }),
      onProblem: (problem) => seen.push({ problem }),
    },
    { maxEventSize },
  );
  for (const text of texts) decoder.feedText(text);
  return { seen, lastEventId: decoder.lastEventId };
}

/** Texts that follow a skipped one, each able to show a difference if state had been left. */
const followers = [
  "data: a\n\n",
  "\ndata: b\n\n",
  "\n\n",
  "\uFEFFdata: c\n\n",
  "id: 7\n\n",
  "data: d\r\n\r\n",
  "retry: 10\n\n",
  "data: e",
  "x\n\n",
];

describe("load: a client makes its decoder at the first text that needs one", () => {
  it.each([":heartbeat\n\n", ": heartbeat\n", "\n", "\n\n\n", ":\n:a:b\n\n:c\n", ""])(
    "%j changes nothing, whatever follows",
    (text) => {
      expect(leavesDecoderUnchanged(text, Number.POSITIVE_INFINITY)).toBe(true);
      for (const follower of followers) {
        expect(decode([text, follower])).toEqual(decode([follower]));
      }
    },
  );

  it.each([
    ["data: x\n\n", "a data line"],
    [":heartbeat", "an unfinished line"],
    [":heartbeat\r", "a CR that may pair with the next LF"],
    [":heartbeat\r\n", "CRLF (kept simple: any CR goes to the decoder)"],
    [":a\nid: 1\n", "an id field after a comment"],
    ["\n:a\nx\n", "a field without a colon"],
    [" :a\n", "a line starting with a space"],
    ["\uFEFF:a\n", "a BOM (the body's was stripped before; this one is a character)"],
  ])("%j goes to a decoder (%s)", (text) => {
    expect(leavesDecoderUnchanged(text, Number.POSITIVE_INFINITY)).toBe(false);
  });

  it("a comment longer than the event bound goes to the decoder, which judges it", () => {
    const text = `:${"x".repeat(20)}\n`;
    expect(leavesDecoderUnchanged(text, 21)).toBe(false);
    expect(leavesDecoderUnchanged(text, 22)).toBe(true);
  });
});
