/**
 * What `doctor` can observe in a recording (`listen --record`) instead of a live watch: the
 * first connection's response head and body, decoded and tallied with the recorded times
 * (relative to the response head, as a live watch counts them). Later connections are not
 * part of the watch. Pure: the entries come from the recording reader.
 */
import type { RecordingEntry } from "../../recording/format.js";
import { EventStreamDecoder } from "../../sse/decoder.js";
import { defaultMaxEventSizeBytes } from "../../sse/event-size.js";
import { LineEndingScan } from "../line-ending-scan.js";
import type { DoctorObservation } from "../observation.js";
import { StreamTally } from "../stream-tally.js";

const utf8 = new TextEncoder();

export class RecordingWatch {
  readonly #tally = new StreamTally();
  readonly #lineEndings = new LineEndingScan();
  readonly #decoder: EventStreamDecoder;
  #url = "";
  #status: number | undefined;
  #headers: Record<string, string> = {};
  #headersAtMs: number | undefined;
  #nowMs = 0;
  #retryMs: number | undefined;
  #bodyBytes = 0;
  #endedAtMs: number | undefined;
  /** The first connection's end (or a second response) closes the watch. */
  #closed = false;
  /** Responses in the recording: the first is watched, the rest were reconnects. */
  #connections = 0;

  constructor() {
    this.#decoder = new EventStreamDecoder(
      {
        onEvent: (event) =>
          this.#tally.event(this.#nowMs, event.lastEventId, utf8.encode(event.data).length),
        onComment: () => this.#tally.comment(this.#nowMs),
        onRetry: (ms) => {
          this.#retryMs = ms;
        },
        onProblem: (problem) => {
          if (problem.type === "event-too-large") this.#tally.oversizedEvent();
        },
      },
      { maxEventSize: defaultMaxEventSizeBytes },
    );
  }

  /** How many responses the recording holds (reconnects are the rest). */
  get connections(): number {
    return this.#connections;
  }

  take(entry: RecordingEntry): void {
    if (entry.type === "recording") return;
    if (entry.type === "request") {
      if (this.#url === "") this.#url = entry.url;
      return;
    }
    if (entry.type === "response") {
      this.#connections++;
      if (this.#headersAtMs !== undefined) {
        this.#close(entry.t);
        return;
      }
      this.#headersAtMs = entry.t;
      this.#status = entry.status;
      this.#url = entry.url || this.#url;
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(entry.headers)) {
        flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
      }
      this.#headers = flat;
      return;
    }
    if (this.#closed || this.#headersAtMs === undefined) return;
    this.#nowMs = Math.max(0, entry.t - this.#headersAtMs);
    if (entry.type === "disconnect") {
      this.#close(entry.t);
      return;
    }
    this.#tally.chunk(this.#nowMs);
    this.#bodyBytes += entry.bytes.length;
    this.#lineEndings.feed(entry.bytes);
    this.#decoder.feed(entry.bytes);
  }

  #close(atMs: number): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#endedAtMs = Math.max(0, atMs - (this.#headersAtMs ?? atMs));
    this.#decoder.endStream();
  }

  /** The observation the checks judge; `name` stands for the URL when none was recorded. */
  observation(name: string): DoctorObservation {
    this.#lineEndings.end();
    const durationMs = this.#endedAtMs ?? this.#nowMs;
    const observation: DoctorObservation = {
      url: this.#url || name,
      durationMs,
      headers: this.#headers,
      stream: this.#tally.summary(durationMs),
      lineEndings: this.#lineEndings.counts,
      bodyBytes: this.#bodyBytes,
      maxEventBytes: defaultMaxEventSizeBytes,
      resume: { ran: false, reason: "a recording cannot be asked to resume" },
    };
    if (this.#status !== undefined) observation.status = this.#status;
    else observation.connectError = "the recording holds no response";
    if (this.#retryMs !== undefined) observation.retryMs = this.#retryMs;
    if (this.#endedAtMs !== undefined) observation.endedAtMs = this.#endedAtMs;
    return observation;
  }
}
