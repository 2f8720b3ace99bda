/**
 * Reads a recording back as it arrives (a file, or a pipe still being written): its bytes split
 * into lines, each checked by the format's parser (format.ts). A bad line is an input error
 * naming it, except a last line cut short (the recorder was killed mid-write), which is left
 * out with a warning. Pure: the bytes come in as an async iterable.
 */
import { SseToolError } from "../errors.js";
import { parseRecordingLine, type RecordingEntry } from "./format.js";

/** Longest line read: a chunk of 64 KiB written as escaped JSON fits easily. */
export const maxRecordingLineBytes = 16 * 1024 ** 2;

const newline = 0x0a;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The entries of the recording named `name` (for messages), the header first. */
export async function* readRecordingEntries(
  bytes: AsyncIterable<Uint8Array>,
  name: string,
  warn: (line: string) => void,
): AsyncGenerator<RecordingEntry> {
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  let lineNumber = 0;
  let pending: { line: number; problem: string } | undefined;
  let isFirst = true;

  function* take(lineBytes: Uint8Array): Generator<RecordingEntry> {
    lineNumber++;
    if (lineBytes.length === 0) return;
    if (pending !== undefined) {
      throw new SseToolError("input", `${name}:${pending.line}: ${pending.problem}`);
    }
    let parsed: RecordingEntry | { problem: string };
    try {
      parsed = parseRecordingLine(utf8.decode(lineBytes), isFirst);
    } catch {
      parsed = { problem: "invalid UTF-8 (a recording is UTF-8 JSON text)" };
    }
    if ("problem" in parsed) {
      if (isFirst) throw new SseToolError("input", `${name}: ${parsed.problem}`);
      pending = { line: lineNumber, problem: parsed.problem };
      return;
    }
    isFirst = false;
    yield parsed;
  }

  for await (const chunk of bytes) {
    let start = 0;
    for (let end = chunk.indexOf(newline); end !== -1; end = chunk.indexOf(newline, start)) {
      const piece = chunk.subarray(start, end);
      start = end + 1;
      if (partsLength + piece.length > maxRecordingLineBytes) throw tooLong(name, lineNumber + 1);
      const whole = parts.length === 0 ? piece : concat([...parts, piece]);
      parts = [];
      partsLength = 0;
      yield* take(whole);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      partsLength += rest.length;
      if (partsLength > maxRecordingLineBytes) throw tooLong(name, lineNumber + 1);
      // A copy: the rest of a big read must not keep the whole read alive.
      parts.push(rest.slice());
    }
  }
  if (parts.length > 0) yield* take(concat(parts));
  if (isFirst) throw new SseToolError("input", `${name}: empty, not an sse-tool recording`);
  if (pending !== undefined) {
    warn(`${name}:${pending.line}: ${pending.problem}; reading what comes before it`);
  }
}

function tooLong(name: string, line: number): SseToolError {
  return new SseToolError(
    "input",
    `${name}:${line}: a line longer than ${maxRecordingLineBytes} bytes`,
  );
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

/** Whether the first bytes of an input are a recording's header line (`{"type":"recording"`). */
export function startsLikeRecording(head: string): boolean {
  return /^\s*\{\s*"type"\s*:\s*"recording"/.test(head);
}
