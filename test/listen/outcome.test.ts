/** How a run of listen closes: the one table from why it stopped to its last line and exit code. */
import { describe, expect, it } from "vitest";
import { SseToolError } from "../../src/errors.js";
import { type ClosingFacts, closeRun, runEnd, type StopReason } from "../../src/listen/outcome.js";

const summary = "3 events, 120 B, 1.0 s, 0 reconnects";

function facts(reason: StopReason, extra: Partial<ClosingFacts> = {}): ClosingFacts {
  return {
    end: { kind: "stopped", reason },
    summary,
    connectedOnce: true,
    expectationsGiven: false,
    options: {
      timeout: 2000,
      idleTimeout: 1500,
      maxEvents: 3,
      untilEvent: "do\u001bne",
      maxEventSize: 1024,
    },
    ...extra,
  };
}

describe("closeRun", () => {
  const stops: Array<[StopReason, string | undefined, number]> = [
    ["ended", `sse-tool: stream ended: ${summary}`, 0],
    ["server-stop", `sse-tool: server answered 204 No Content (stop): ${summary}`, 0],
    ["max-events", `sse-tool: done (-n 3): ${summary}`, 0],
    ["until-event", `sse-tool: done (--until-event do\\x1bne): ${summary}`, 0],
    ["met", `sse-tool: expectations met: ${summary}`, 0],
    ["llm-end", `sse-tool: end of the LLM reply: ${summary}`, 0],
    ["interrupted", `sse-tool: interrupted: ${summary}`, 130],
    ["stdout-closed", undefined, 0],
  ];
  it.each(stops)("%s: %j, exit %d", (reason, stderrLine, exitCode) => {
    expect(closeRun(facts(reason))).toEqual(
      stderrLine === undefined ? { exitCode } : { stderrLine, exitCode },
    );
  });

  it.each([
    ["timeout", "timeout: --timeout 2 s elapsed"],
    ["idle-timeout", "idle timeout: no data for 1.5 s"],
  ] as const)(
    "%s is a timeout error (exit 3), or a normal end when expectations were given",
    (reason, message) => {
      const closing = closeRun(facts(reason));
      expect(closing).toMatchObject({ stderrLine: `sse-tool: ${summary}` });
      const error = "error" in closing ? closing.error : undefined;
      expect(error).toBeInstanceOf(SseToolError);
      expect(error).toMatchObject({ code: "timeout", message });
      expect(closeRun(facts(reason, { expectationsGiven: true }))).toEqual({
        stderrLine: `sse-tool: ${summary}`,
        exitCode: 0,
      });
    },
  );

  it("a failed expectation outweighs how the run stopped", () => {
    const failure = new SseToolError("expectation", "expectation failed: x");
    for (const reason of ["ended", "timeout", "max-events"] as const) {
      expect(
        closeRun(facts(reason, { expectationsGiven: true, expectationFailure: failure })),
      ).toEqual({ stderrLine: `sse-tool: ${summary}`, error: failure });
    }
  });

  it("a failure shows the totals only once a stream was read", () => {
    const error = new SseToolError("connect", "cannot connect");
    expect(closeRun({ ...facts("ended"), end: { kind: "failed", error } })).toEqual({
      stderrLine: `sse-tool: ${summary}`,
      error,
    });
    expect(
      closeRun({ ...facts("ended"), end: { kind: "failed", error }, connectedOnce: false }),
    ).toEqual({ error });
  });

  it("stdout gone: silent exit 0, unless stdout failed with something else", () => {
    const closing = closeRun(facts("stdout-closed", { writeFailure: new Error("EIO") }));
    expect("error" in closing && closing.error).toMatchObject({
      code: "connect",
      message: "cannot write output: EIO",
    });
  });
});

describe("runEnd", () => {
  const error = new Error("boom");
  it("a failure ends the run, whatever else stopped it ...", () => {
    expect(runEnd("interrupted", { error })).toEqual({ kind: "failed", error });
    expect(runEnd(undefined, { error })).toEqual({ kind: "failed", error });
  });
  it("... except the reader of stdout going away", () => {
    expect(runEnd("stdout-closed", { error })).toEqual({
      kind: "stopped",
      reason: "stdout-closed",
    });
  });
  it("no reason and no failure: the stream ended", () => {
    expect(runEnd(undefined)).toEqual({ kind: "stopped", reason: "ended" });
  });
});

describe("closeRun: events skipped over --max-event-size", () => {
  it("turn an exit 0 into a too-large error (exit 1), keeping the closing line", () => {
    const closing = closeRun(facts("ended", { skippedEvents: 2 }));
    expect(closing.stderrLine).toBe(`sse-tool: stream ended: ${summary}`);
    expect("error" in closing && closing.error).toMatchObject({
      code: "too-large",
      message: "2 events over --max-event-size (1.0 KiB) skipped",
    });
  });

  it("leave other exit codes and a reader that went away alone", () => {
    expect(closeRun(facts("interrupted", { skippedEvents: 1 }))).toMatchObject({ exitCode: 130 });
    expect(closeRun(facts("stdout-closed", { skippedEvents: 1 }))).toEqual({ exitCode: 0 });
    const timeout = closeRun(facts("timeout", { skippedEvents: 1 }));
    expect("error" in timeout && timeout.error).toMatchObject({ code: "timeout" });
  });
});
