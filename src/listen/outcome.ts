/**
 * Why a run of `listen` stopped, and what that means. StopReason is the one vocabulary (the
 * closing line, the exit code and the expectations' messages all speak it); closeRun is the one
 * place that turns the end of a run into its closing stderr line and its exit code, or into the
 * error the command ends with. Pure.
 */
import { ExitCode, SseToolError } from "../errors.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { formatBytes } from "../terminal/units.js";
import type { ListenCliOptions } from "./cli.js";

export type StopReason =
  /** The stream ended and is not requested again (--no-reconnect, or a POST). */
  | "ended"
  /** The server answered 204 No Content: "stop" (HTML §9.2.3). */
  | "server-stop"
  /** `-n` shown events (over all streams when several are followed). */
  | "max-events"
  /** The --until-event event arrived. */
  | "until-event"
  /** Every --expect-* expectation holds (without --until-event). */
  | "met"
  /** The LLM stream's end marker arrived. */
  | "llm-end"
  | "timeout"
  | "idle-timeout"
  /** Ctrl-C, or the caller's abort signal. */
  | "interrupted"
  /** The reader of stdout went away (`| head`). */
  | "stdout-closed";

/** How a run ended: stopped for a reason, or failed with an error. */
export type RunEnd = { kind: "stopped"; reason: StopReason } | { kind: "failed"; error: unknown };

/**
 * The end of a run from its stop reason (if any) and the error it failed with (if any). The
 * reader of stdout going away outweighs a failure: it has what it wanted.
 */
export function runEnd(reason: StopReason | undefined, failure?: { error: unknown }): RunEnd {
  if (reason === "stdout-closed" || failure === undefined) {
    return { kind: "stopped", reason: reason ?? "ended" };
  }
  return { kind: "failed", error: failure.error };
}

export interface ClosingFacts {
  end: RunEnd;
  /** The run's totals as one line (src/listen/output/run-summary.ts). */
  summary: string;
  /** A stream was read: a failure then also shows the totals. */
  connectedOnce: boolean;
  /** Expectations were given: a timeout is then a normal end, unless they failed. */
  expectationsGiven: boolean;
  /** The expectations' verdict, when it is a failure. */
  expectationFailure?: SseToolError;
  /** stdout failed with something other than EPIPE. */
  writeFailure?: Error;
  /** Events over --max-event-size that were skipped: a run that would exit 0 exits 1. */
  skippedEvents?: number;
  options: Pick<
    ListenCliOptions,
    "timeout" | "idleTimeout" | "maxEvents" | "untilEvent" | "maxEventSize"
  >;
}

export type Closing =
  | { stderrLine?: string; exitCode: number }
  | { stderrLine?: string; error: unknown };

export function closeRun(facts: ClosingFacts): Closing {
  const closing = closingFor(facts);
  const skipped = facts.skippedEvents ?? 0;
  // Skipped events were told as they came; scripts see them in the exit code, unless the run
  // already ends with another failure or was interrupted.
  if (skipped > 0 && "exitCode" in closing && closing.exitCode === ExitCode.ok) {
    if (facts.end.kind === "stopped" && facts.end.reason === "stdout-closed") return closing;
    const limit = formatBytes(facts.options.maxEventSize);
    const events = skipped === 1 ? "1 event" : `${skipped} events`;
    return {
      stderrLine: closing.stderrLine,
      error: new SseToolError("too-large", `${events} over --max-event-size (${limit}) skipped`),
    };
  }
  return closing;
}

function closingFor(facts: ClosingFacts): Closing {
  const { end, summary, options } = facts;
  const line = (text: string) => `sse-tool: ${text}`;
  if (end.kind === "failed") {
    // A failure before any stream was read is one line (the error); after, the totals too.
    return facts.connectedOnce
      ? { stderrLine: line(summary), error: end.error }
      : { error: end.error };
  }
  if (end.reason === "stdout-closed") {
    // The reader went away (`| head`): it has what it wanted; say nothing.
    if (facts.writeFailure) {
      return {
        error: new SseToolError("connect", `cannot write output: ${facts.writeFailure.message}`),
      };
    }
    return { exitCode: ExitCode.ok };
  }
  if (facts.expectationFailure)
    return { stderrLine: line(summary), error: facts.expectationFailure };
  switch (end.reason) {
    case "interrupted":
      return { stderrLine: line(`interrupted: ${summary}`), exitCode: ExitCode.interrupted };
    case "timeout":
    case "idle-timeout": {
      // Expectations that hold decide: a timeout is then a normal end (exit 0).
      if (facts.expectationsGiven) return { stderrLine: line(summary), exitCode: ExitCode.ok };
      const message =
        end.reason === "timeout"
          ? `timeout: --timeout ${(options.timeout ?? 0) / 1000} s elapsed`
          : `idle timeout: no data for ${(options.idleTimeout ?? 0) / 1000} s`;
      return { stderrLine: line(summary), error: new SseToolError("timeout", message) };
    }
    case "max-events":
      return {
        stderrLine: line(`done (-n ${options.maxEvents}): ${summary}`),
        exitCode: ExitCode.ok,
      };
    case "llm-end":
      return { stderrLine: line(`end of the LLM reply: ${summary}`), exitCode: ExitCode.ok };
    case "met":
      return { stderrLine: line(`expectations met: ${summary}`), exitCode: ExitCode.ok };
    case "until-event":
      return {
        stderrLine: line(
          `done (--until-event ${escapeForTerminalLine(options.untilEvent ?? "")}): ${summary}`,
        ),
        exitCode: ExitCode.ok,
      };
    case "server-stop":
      return {
        stderrLine: line(`server answered 204 No Content (stop): ${summary}`),
        exitCode: ExitCode.ok,
      };
    case "ended":
      return { stderrLine: line(`stream ended: ${summary}`), exitCode: ExitCode.ok };
  }
}
