/**
 * What one run of `listen` writes to stdout: each shown event and comment in the chosen view
 * (pretty, or --json lines), the body bytes with --raw, and text the extras hand over (the LLM
 * view's answer), all through the StdoutSink: one write per network chunk, with back-pressure.
 */
import type { StreamEvent } from "../../sse/decoder.js";
import { chalkFor } from "../../terminal/chalk.js";
import { escapeJsonForTerminal } from "../../terminal/escape.js";
import type { ListenCliOptions } from "../cli.js";
import type { ListenIo } from "../io.js";
import { type RunClock, wallClock } from "../run-clock.js";
import { formatJsonComment, formatJsonLine } from "./json-lines.js";
import { PrettyEventFormatter } from "./pretty.js";
import { StdoutSink } from "./stdout-sink.js";
import { TimeColumn } from "./time-column.js";

export class EventWriter {
  readonly #sink: StdoutSink;
  /** The pretty view; undefined with --json or --raw. */
  readonly #pretty: PrettyEventFormatter | undefined;
  readonly #json: boolean;
  /** --json on a terminal: what JSON leaves raw but a terminal acts on is written \uXXXX. */
  readonly #jsonForTerminal: boolean;
  /** The stream's URL on --json lines when several streams are followed. */
  readonly #sourceUrl: string | undefined;
  /** --json-data: data that is a JSON object or array goes in parsed. */
  readonly #jsonData: boolean;
  /** The pretty view's time column (--time). */
  readonly #timeColumn: TimeColumn;
  /** --time delta: each event's own column (the others are the same for a whole chunk). */
  readonly #timePerEvent: boolean;
  /** Receive time of the chunk being decoded, formatted once per chunk. */
  #chunkTime: string | undefined;
  #chunkMs: number | undefined;
  readonly #clock: RunClock;

  /** `onClosed`: the reader of stdout went away (EPIPE) or stdout failed. */
  constructor(
    options: Pick<ListenCliOptions, "raw" | "json" | "color" | "time" | "full" | "jsonData">,
    io: Pick<ListenIo, "stdout" | "env" | "source" | "clock">,
    onClosed: () => void,
  ) {
    this.#sink = new StdoutSink(io.stdout, onClosed);
    this.#json = options.json === true && options.raw !== true;
    this.#jsonForTerminal = this.#json && io.stdout.isTTY === true;
    this.#sourceUrl = io.source?.url;
    this.#jsonData = options.jsonData === true;
    this.#clock = io.clock ?? wallClock;
    const timeMode = this.#clock.timed ? (options.time ?? "clock") : "none";
    this.#timeColumn = new TimeColumn(timeMode, this.#clock.now());
    this.#timePerEvent = timeMode === "delta";
    if (!options.raw && !options.json) {
      const columns = (io.stdout as { columns?: number }).columns;
      this.#pretty = new PrettyEventFormatter({
        chalk: chalkFor({
          colorFlag: options.color,
          env: io.env,
          stream: io.stdout,
          standsFor: "stdout",
        }),
        width: columns ?? 100,
        sourceLabel: io.source?.label,
        sourceLabelWidth: io.source?.labelWidth,
        full: options.full === true,
      });
    }
  }

  /** A stdout failure other than EPIPE, to report. */
  get failure(): Error | undefined {
    return this.#sink.failure;
  }

  get hasPending(): boolean {
    return this.#sink.hasPending;
  }

  /** A network chunk begins: its events share one receive time. */
  startChunk(): void {
    this.#chunkTime = undefined;
    this.#chunkMs = undefined;
  }

  /** Body bytes, unchanged (--raw). */
  bytes(chunk: Buffer): void {
    this.#sink.pushBytes(chunk);
  }

  /** `atMs`: when it was received, for an event shown later than that (held back). */
  event(event: StreamEvent, atMs?: number): void {
    const text = this.format(event, atMs);
    if (text !== undefined) this.#sink.pushText(text);
  }

  /** An event as pretty or --json text; undefined with --raw (the bytes are the output). */
  format(event: StreamEvent, atMs?: number): string | undefined {
    if (this.#pretty) {
      const time = atMs === undefined ? this.#clockTime() : this.#timeColumn.label(atMs);
      return this.#pretty.formatEvent(event, time);
    }
    if (!this.#json) return undefined;
    const isoTime = atMs === undefined ? this.#isoTime() : this.#isoTimeAt(atMs);
    const line = formatJsonLine(event, isoTime, this.#sourceUrl, this.#jsonData);
    return this.#jsonForTerminal ? escapeJsonForTerminal(line) : line;
  }

  /** A comment line (only asked for with --comments). */
  comment(text: string): void {
    if (this.#pretty) this.#sink.pushText(this.#pretty.formatComment(text, this.#clockTime()));
    else {
      const line = formatJsonComment(text, this.#isoTime(), this.#sourceUrl);
      this.#sink.pushText(this.#jsonForTerminal ? escapeJsonForTerminal(line) : line);
    }
  }

  /** Text from the extras (the LLM view's answer). */
  text(text: string): void {
    this.#sink.pushText(text);
  }

  /** Writes what is pending; resolves when stdout can take more (or the run stops). */
  flush(stopSignal: AbortSignal): Promise<void> {
    return this.#sink.flush(stopSignal);
  }

  /** The run is over; stdout outlives it. */
  detach(): void {
    this.#sink.detach();
  }

  /** The time column of what is shown now: once per chunk, or per event with --time delta. */
  #clockTime(): string {
    this.#chunkMs ??= this.#clock.now();
    if (this.#timePerEvent) return this.#timeColumn.label(this.#chunkMs);
    this.#chunkTime ??= this.#timeColumn.label(this.#chunkMs);
    return this.#chunkTime;
  }

  #isoTimeAt(ms: number): string {
    return this.#clock.timed ? new Date(ms).toISOString() : "";
  }

  #isoTime(): string {
    // No times in the input: "" (--json writes null).
    this.#chunkTime ??= this.#clock.timed ? new Date(this.#clock.now()).toISOString() : "";
    return this.#chunkTime;
  }
}
