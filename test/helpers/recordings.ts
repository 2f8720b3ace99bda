/** Reads a recording (`listen --record`) back with the format's own parser, for assertions. */
import { readFile } from "node:fs/promises";
import { parseRecordingLine, type RecordingEntry } from "../../src/recording/format.js";

export async function readRecording(path: string): Promise<RecordingEntry[]> {
  const lines = (await readFile(path, "utf8")).split("\n").filter((line) => line !== "");
  return lines.map((line, index) => {
    const parsed = parseRecordingLine(line, index === 0);
    if ("problem" in parsed) throw new Error(`${path}:${index + 1}: ${parsed.problem}`);
    return parsed;
  });
}

/** The body bytes a recording holds, all chunks in order. */
export function recordedBody(entries: readonly RecordingEntry[]): Buffer {
  return Buffer.concat(
    entries.flatMap((entry) => (entry.type === "chunk" ? [Buffer.from(entry.bytes)] : [])),
  );
}
