/**
 * Assertions for CI: `--expect-event` (repeatable), `--expect-count`, `--until-event`.
 * Pure: the caller reports each event and, at the end, asks whether the expectations held.
 */
import { detachedCopy } from "../sse/detached-copy.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import type { StopReason } from "./outcome.js";

/** Event types counted by name for the failure message (a hostile stream sends endless new ones). */
const maxTrackedTypes = 1000;

export interface ExpectationOptions {
  /** Each of these event types must arrive at least once. */
  expectEvents?: string[];
  /** At least this many (shown) events must arrive. */
  expectCount?: number;
  /** Stop after the first event of this type; not seeing it is a failure. */
  untilEvent?: string;
}

export type ExpectationVerdict = { ok: true } | { ok: false; failures: string[]; message: string };

/** "not seen before ...": what stopped the run, for the failure message. */
const stopReasonText: Record<StopReason, string> = {
  ended: "the stream ended",
  "server-stop": "the stream ended",
  "llm-end": "the stream ended",
  "stdout-closed": "the stream ended",
  interrupted: "the stream ended",
  timeout: "the timeout",
  "idle-timeout": "the timeout",
  "max-events": "--max-events was reached",
  "until-event": "the --until-event event",
  met: "the expectations were met",
};

function quoted(name: string): string {
  return `"${escapeForTerminalLine(name)}"`;
}

export class ExpectationTracker {
  readonly #options: ExpectationOptions;
  /** Counts of the first `maxTrackedTypes` types seen, for the failure message. */
  readonly #seenCounts = new Map<string, number>();
  /** The --expect-event types seen (always known, however many other types came). */
  readonly #expectedSeen = new Set<string>();
  readonly #expected: ReadonlySet<string>;
  #total = 0;
  #counted = 0;
  #untilSeen = false;

  constructor(options: ExpectationOptions) {
    this.#options = options;
    this.#expected = new Set(options.expectEvents ?? []);
  }

  /** True when any expectation was asked for (then exit codes follow the verdict). */
  get active(): boolean {
    const { expectEvents, expectCount, untilEvent } = this.#options;
    return (expectEvents?.length ?? 0) > 0 || expectCount !== undefined || untilEvent !== undefined;
  }

  /**
   * Records one event. `counted` says whether it counts for --expect-count (listen counts the
   * events it shows, so `-e` filters them as it does for `-n`). Returns "stop" when listening
   * can end now: the --until-event arrived, or, without --until-event, every expectation holds.
   */
  observe(type: string, counted = true): "continue" | "stop" {
    this.#total++;
    const count = this.#seenCounts.get(type);
    if (count !== undefined) this.#seenCounts.set(type, count + 1);
    else if (this.#seenCounts.size < maxTrackedTypes) this.#seenCounts.set(detachedCopy(type), 1);
    if (this.#expected.has(type)) this.#expectedSeen.add(type);
    if (counted) this.#counted++;
    const { untilEvent } = this.#options;
    if (untilEvent !== undefined) {
      if (type === untilEvent) this.#untilSeen = true;
      return this.#untilSeen ? "stop" : "continue";
    }
    return this.active && this.#failures().length === 0 ? "stop" : "continue";
  }

  /** The verdict when listening stops for `reason`. */
  evaluate(reason: StopReason): ExpectationVerdict {
    const failures = this.#failures(reason);
    if (failures.length === 0) return { ok: true };
    const seen = [...this.#seenCounts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([type, count]) => `${escapeForTerminalLine(type)} ×${count}`)
      .join(", ");
    const total = this.#total;
    const message =
      `expectation failed: ${failures.join("; ")} ` +
      `(${total} event${total === 1 ? "" : "s"} seen${seen ? `: ${seen}` : ""})`;
    return { ok: false, failures, message };
  }

  #failures(reason?: StopReason): string[] {
    const failures: string[] = [];
    const { expectEvents, expectCount, untilEvent } = this.#options;
    for (const type of new Set(expectEvents ?? [])) {
      if (!this.#expectedSeen.has(type)) failures.push(`--expect-event ${quoted(type)} not seen`);
    }
    if (expectCount !== undefined && this.#counted < expectCount) {
      failures.push(`--expect-count ${expectCount}: only ${this.#counted} event(s)`);
    }
    if (untilEvent !== undefined && !this.#untilSeen) {
      failures.push(
        `--until-event ${quoted(untilEvent)} not seen` +
          (reason ? ` before ${stopReasonText[reason]}` : ""),
      );
    }
    return failures;
  }
}
