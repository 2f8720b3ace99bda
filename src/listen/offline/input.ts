/**
 * Opens what `listen` reads offline (stdin or a file) and turns it into the steps a client
 * took: for a raw capture one connection and its chunks as they arrive, for a recording
 * (recognised by its header line) each connection with its chunks and their recorded times.
 */
import { fstatSync } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { type OfflineSource, offlineSourceName } from "../../cli/capture-argument.js";
import { SseToolError } from "../../errors.js";
import type { RecordingEntry, ResponseHeaders } from "../../recording/format.js";
import { readRecordingEntries, startsLikeRecording } from "../../recording/read.js";

/** What happened to the client, in order. */
export type OfflineStep =
  /** A response whose body follows (a recording's response head, when it has one). */
  | { kind: "connect"; status?: number; statusText?: string; headers?: ResponseHeaders }
  /** Body bytes; `atMs` is the recording's `t`. */
  | { kind: "chunk"; bytes: Buffer; atMs?: number }
  /** The connection ended: cleanly, dropped, or the recording client stopped. */
  | { kind: "end"; reason: "ended" | "dropped" | "stopped"; detail?: string; atMs?: number };

export interface OfflineInput {
  /** For messages: `stdin` or the path. */
  name: string;
  /** The recording's start time (epoch ms) when the input is a recording. */
  recordingStartedMs?: number;
  /**
   * Whether arrival times mean anything for a raw stream: a pipe's bytes arrive as they are sent;
   * a file's all at once (no times: timings left out).
   */
  arrivalTimed: boolean;
  steps: AsyncIterable<OfflineStep>;
  /** Stops reading (Ctrl-C, -n): the pending read ends. */
  close(): void;
}

/** How many first bytes are looked at to tell a recording from a raw stream. */
const sniffBytes = 64;

export async function openOfflineInput(
  source: OfflineSource,
  stdin: Readable,
  warn: (line: string) => void,
): Promise<OfflineInput> {
  const name = offlineSourceName(source);
  const stream = source.kind === "stdin" ? stdin : await openFile(source.path);
  const chunks = readErrorsAsInputErrors(stream as AsyncIterable<Buffer>, name);
  const iterator = chunks[Symbol.asyncIterator]();
  // The first bytes decide; a pipe may hand them over a few at a time.
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < sniffBytes && !head.some((part) => part.includes(0x0a))) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  const rest: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      yield* head;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield next.value;
      }
    },
  };
  const close = () => stream.destroy();
  if (!startsLikeRecording(Buffer.concat(head).toString("latin1"))) {
    return {
      name,
      arrivalTimed: source.kind === "stdin" && !isFile(stdin),
      steps: rawSteps(rest),
      close,
    };
  }
  const entries = readRecordingEntries(rest, name, warn)[Symbol.asyncIterator]();
  const first = await entries.next();
  const header = first.done ? undefined : first.value;
  const startedMs = header?.type === "recording" ? Date.parse(header.started) : Number.NaN;
  return {
    name,
    recordingStartedMs: Number.isFinite(startedMs) ? startedMs : 0,
    arrivalTimed: false,
    steps: recordedSteps({ [Symbol.asyncIterator]: () => entries }),
    close,
  };
}

/** stdin redirected from a file (`< capture.sse`) holds no arrival times either. */
function isFile(stdin: Readable): boolean {
  const fd = (stdin as { fd?: unknown }).fd;
  try {
    return typeof fd === "number" && fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

async function openFile(path: string): Promise<Readable> {
  try {
    const handle = await open(path, "r");
    return handle.createReadStream({ highWaterMark: 64 * 1024 });
  } catch (error) {
    throw unreadable(path, error);
  }
}

async function* readErrorsAsInputErrors(
  chunks: AsyncIterable<Buffer>,
  name: string,
): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of chunks) yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
  } catch (error) {
    if ((error as { code?: string }).code === "ABORT_ERR") return;
    throw unreadable(name, error);
  }
}

function unreadable(name: string, error: unknown): SseToolError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new SseToolError("input", `cannot read ${name}: ${reason}`, { cause: error });
}

/** A raw capture: one connection, its bytes as they come. */
async function* rawSteps(chunks: AsyncIterable<Buffer>): AsyncGenerator<OfflineStep> {
  yield { kind: "connect" };
  for await (const bytes of chunks) yield { kind: "chunk", bytes };
  yield { kind: "end", reason: "ended" };
}

/**
 * A recording's connections. A response opens one; its chunks follow; a disconnect (or the
 * next request, or the end of the recording) closes it.
 */
async function* recordedSteps(entries: AsyncIterable<RecordingEntry>): AsyncGenerator<OfflineStep> {
  let open = false;
  let lastMs = 0;
  for await (const entry of entries) {
    if (entry.type === "recording") continue;
    lastMs = entry.t;
    switch (entry.type) {
      case "request":
        if (open) yield { kind: "end", reason: "dropped", atMs: entry.t };
        open = false;
        break;
      case "response":
        if (open) yield { kind: "end", reason: "dropped", atMs: entry.t };
        open = true;
        yield {
          kind: "connect",
          status: entry.status,
          statusText: entry.statusText,
          headers: entry.headers,
        };
        break;
      case "chunk":
        if (!open) yield { kind: "connect" };
        open = true;
        yield { kind: "chunk", bytes: Buffer.from(entry.bytes), atMs: entry.t };
        break;
      case "disconnect":
        if (open) {
          yield entry.detail === undefined
            ? { kind: "end", reason: entry.reason, atMs: entry.t }
            : { kind: "end", reason: entry.reason, detail: entry.detail, atMs: entry.t };
        }
        open = false;
        break;
    }
  }
  // A recording cut short (the recorder killed): its last connection ends where it stops.
  if (open) yield { kind: "end", reason: "stopped", atMs: lastMs };
}
