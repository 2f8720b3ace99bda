/**
 * The recording reader as it arrives: lines split at every byte boundary read the same, a bad
 * line is named, a last line cut short is left out with a warning, a line too long is refused.
 */
import { describe, expect, it } from "vitest";
import type { RecordingEntry } from "../../src/recording/format.js";
import { readRecordingEntries, startsLikeRecording } from "../../src/recording/read.js";

const text =
  '{"type":"recording","version":1,"started":"2026-01-02T03:04:05.000Z","tool":"sse-tool"}\n' +
  '{"type":"response","t":1,"status":200,"statusText":"OK","url":"u","headers":{}}\n' +
  '{"type":"chunk","t":2,"text":"data: 👋\\n\\n"}\n';

async function read(
  chunks: Uint8Array[],
): Promise<{ entries: RecordingEntry[]; warnings: string[] }> {
  const warnings: string[] = [];
  const entries: RecordingEntry[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const entry of readRecordingEntries(source(), "r.jsonl", (line) =>
    warnings.push(line),
  )) {
    entries.push(entry);
  }
  return { entries, warnings };
}

describe("readRecordingEntries", () => {
  it("reads the same entries whatever the chunk boundaries", async () => {
    const bytes = Buffer.from(text);
    const whole = await read([bytes]);
    expect(whole.entries.map((entry) => entry.type)).toEqual(["recording", "response", "chunk"]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const split = await read([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(split.entries).toEqual(whole.entries);
    }
  });

  it("names a bad line that something follows", async () => {
    const lines = text.split("\n");
    const bad = [lines[0], "{nope", lines[1], ""].join("\n");
    await expect(read([Buffer.from(bad)])).rejects.toThrow("r.jsonl:2: not a JSON line");
  });

  it("leaves out a last line cut short, with a warning", async () => {
    const { entries, warnings } = await read([Buffer.from(`${text}{"type":"chu`)]);
    expect(entries).toHaveLength(3);
    expect(warnings).toEqual([
      expect.stringContaining("r.jsonl:4: not a JSON line; reading what comes before it"),
    ]);
  });

  it("refuses a first line that is not a recording, and an empty input", async () => {
    await expect(read([Buffer.from("data: x\n\n")])).rejects.toThrow("not a JSON line");
    await expect(read([])).rejects.toThrow("empty, not an sse-tool recording");
  });

  it("refuses a line over the limit without holding it all", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    const many = Array.from({ length: 17 }, () => chunk);
    await expect(read([Buffer.from(text), ...many])).rejects.toThrow("a line longer than");
  });
});

describe("startsLikeRecording", () => {
  it.each([
    ['{"type":"recording","version":1}', true],
    ['  { "type" : "recording"', true],
    ['data: {"type":"recording"}', false],
    ["id: 1", false],
  ])("%s → %s", (head, expected) => expect(startsLikeRecording(head)).toBe(expected));
});
