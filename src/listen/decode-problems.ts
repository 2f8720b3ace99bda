/**
 * What `listen` says about decode problems (src/sse/decoder.ts DecodeProblem): each kind once on
 * stderr when first seen, each one with -v, and a tally when the run ends. An event over
 * --max-event-size is skipped with a warning (the first few; all are counted) and makes the run
 * exit 1 at its end. Nothing here stops the stream. Pure: returns the lines to print.
 */
import type { DecodeProblem } from "../sse/decoder.js";
import { detachedCopy } from "../sse/detached-copy.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { formatBytes } from "../terminal/units.js";

/** Skipped events warned about one by one; later ones are only counted. */
const skippedEventsWarned = 10;
/** Longest field name quoted in a message. */
const longestFieldShown = 40;

function quotedField(field: string): string {
  const cut = field.length > longestFieldShown ? `${field.slice(0, longestFieldShown)}…` : field;
  return `"${escapeForTerminalLine(detachedCopy(cut))}"`;
}

export class DecodeProblemTally {
  readonly #verbose: boolean;
  skippedEvents = 0;
  #invalidUtf8 = 0;
  #unknownFields = 0;
  #firstUnknownField: string | undefined;
  #invalidRetries = 0;

  constructor(verbose: boolean) {
    this.#verbose = verbose;
  }

  /** Records a problem; returns the stderr line to print now, if any. `atByte`: where. */
  record(problem: DecodeProblem, atByte: number): string | undefined {
    const verbose = this.#verbose;
    switch (problem.type) {
      case "event-too-large": {
        const n = ++this.skippedEvents;
        if (n > skippedEventsWarned && !verbose) return undefined;
        const more =
          n === skippedEventsWarned && !verbose ? " (further ones are counted, not shown)" : "";
        return `sse-tool: warning: skipped an event larger than --max-event-size (${formatBytes(problem.limit)}) near byte ${atByte}${more}`;
      }
      case "invalid-utf8":
        this.#invalidUtf8 += problem.count;
        if (verbose) {
          return `* invalid UTF-8 near byte ${atByte}: ${problem.count} sequence${problem.count === 1 ? "" : "s"} shown as U+FFFD`;
        }
        return this.#invalidUtf8 === problem.count
          ? "sse-tool: warning: the stream holds invalid UTF-8, shown as U+FFFD (-v shows each)"
          : undefined;
      case "unknown-field": {
        this.#unknownFields++;
        this.#firstUnknownField ??= quotedField(problem.field);
        if (verbose) return `* unknown field ${quotedField(problem.field)} ignored`;
        return this.#unknownFields === 1
          ? `sse-tool: warning: unknown field ${this.#firstUnknownField} ignored (-v shows each)`
          : undefined;
      }
      case "invalid-retry":
        this.#invalidRetries++;
        return verbose
          ? `* retry: ${quotedField(problem.value)} is not a number of ms; ignored`
          : undefined;
    }
  }

  /** One line for the end of the run, or undefined when the stream decoded cleanly. */
  summaryLine(): string | undefined {
    const parts: string[] = [];
    const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
    if (this.skippedEvents > 0) {
      parts.push(`${count(this.skippedEvents, "event")} over --max-event-size skipped`);
    }
    if (this.#invalidUtf8 > 0) parts.push(count(this.#invalidUtf8, "invalid UTF-8 sequence"));
    if (this.#unknownFields > 0) {
      parts.push(
        `${count(this.#unknownFields, "unknown field")} (${this.#firstUnknownField}, ...)`,
      );
    }
    if (this.#invalidRetries > 0) parts.push(count(this.#invalidRetries, "invalid retry:"));
    return parts.length === 0 ? undefined : `sse-tool: decode problems: ${parts.join(", ")}`;
  }
}
