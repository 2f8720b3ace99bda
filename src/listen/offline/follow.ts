/**
 * Reads a captured stream through a `listen` run's decoding as the client read it then: each
 * recorded connection is one body (an unfinished block at its end discarded, the last event ID
 * carried to the next), and a recording's times drive the run's clock.
 */
import { responseHeadLines } from "../../http/exchange-lines.js";
import type { StreamDecoding } from "../decoding.js";
import type { EventVerdicts } from "../event-verdicts.js";
import type { RecordedClock } from "../run-clock.js";
import type { StopSwitch } from "../stop-switch.js";
import type { OfflineInput } from "./input.js";

export interface OfflineFollowParts {
  decoding: StreamDecoding;
  verdicts: EventVerdicts;
  stop: StopSwitch;
  /** Set when the input is a recording. */
  clock: RecordedClock | undefined;
  verbose: boolean;
  /** -i (or -v): each recorded response head on stderr. */
  include: boolean;
  say: (line: string) => void;
}

/** Reads the input to its end (the stream's end) or until the run stops; the reconnects seen. */
export async function followOffline(
  input: OfflineInput,
  parts: OfflineFollowParts,
): Promise<number> {
  const { decoding, verdicts, stop, clock, say } = parts;
  let connections = 0;
  let inBody = false;
  const closeOnStop = () => input.close();
  stop.signal.addEventListener("abort", closeOnStop);
  stop.armIdleTimer();
  try {
    for await (const step of input.steps) {
      if (stop.reason) break;
      if (step.kind !== "connect" && step.atMs !== undefined) clock?.advanceTo(step.atMs);
      if (step.kind === "chunk") {
        if (inBody) await decoding.takeChunk(step.bytes);
        continue;
      }
      if (inBody) decoding.endBody();
      inBody = false;
      if (step.kind === "end") {
        if (parts.verbose && step.reason === "dropped") {
          say(`* the recorded connection dropped${step.detail ? `: ${step.detail}` : ""}`);
        }
        continue;
      }
      connections++;
      if (connections > 1) {
        verdicts.onReconnect();
        if (parts.verbose) say("sse-tool: reconnected (as recorded)");
      }
      if (parts.include && step.status !== undefined) {
        const head = {
          status: step.status,
          statusText: step.statusText ?? "",
          httpVersion: undefined,
          headers: step.headers ?? {},
        };
        for (const line of responseHeadLines(head)) say(line);
      }
      if (step.status !== undefined && (step.status < 200 || step.status > 299)) {
        say(`sse-tool: recorded response HTTP ${step.status} ${step.statusText ?? ""}`.trimEnd());
        continue;
      }
      decoding.startBody();
      inBody = true;
    }
  } catch (error) {
    if (!stop.reason) throw error;
  } finally {
    stop.signal.removeEventListener("abort", closeOnStop);
  }
  if (inBody && !stop.reason) decoding.endBody();
  stop.stop("ended");
  return Math.max(0, connections - 1);
}
