/**
 * A recording (`listen --record`) read from its file for `serve --replay`, checked line by line
 * and built into the plan the replay plays (feeds/replay-plan.ts).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { SseToolError } from "../../errors.js";
import { parseRecordingLine, type RecordingEntry } from "../../recording/format.js";
import { formatBytes } from "../../terminal/units.js";
import { buildReplayPlan, type ReplayPlan } from "../feeds/replay-plan.js";
import { readLineBatches } from "./lines.js";

/** Longest line read from a recording: a chunk of 64 KiB written as escaped JSON fits easily. */
const maxRecordingLineBytes = 16 * 1024 ** 2;

/** A replay holds its recording in memory (each client starts from the top): this much at most. */
export const maxRecordingFileBytes = 1024 ** 3;

/**
 * Reads and checks a recording. A bad line is an input error naming it, except a last line
 * cut short (the recording process was killed mid-write), which is left out with a warning.
 */
export async function loadReplayPlan(
  file: string,
  warn: (line: string) => void,
): Promise<ReplayPlan> {
  const entries: RecordingEntry[] = [];
  let pendingProblem: { line: number; problem: string } | undefined;
  let isFirst = true;
  const fail = (line: number, problem: string) =>
    new SseToolError("input", `${file}:${line}: ${problem}`);
  try {
    const { size } = await stat(file);
    if (size > maxRecordingFileBytes) {
      throw new SseToolError(
        "input",
        `${file}: ${formatBytes(size)}; a replay holds its recording in memory, up to ${formatBytes(maxRecordingFileBytes)}`,
      );
    }
    const source = createReadStream(file, { highWaterMark: 64 * 1024 });
    for await (const batch of readLineBatches(source, maxRecordingLineBytes)) {
      for (const line of batch) {
        if (line.text === "" && !line.skipped) continue;
        // Something follows a bad line: it was not a last line cut short.
        if (pendingProblem !== undefined) throw fail(pendingProblem.line, pendingProblem.problem);
        const parsed = line.skipped
          ? { problem: `a line longer than ${maxRecordingLineBytes} bytes` }
          : line.warning !== undefined
            ? { problem: "invalid UTF-8 (a recording is UTF-8 JSON text)" }
            : parseRecordingLine(line.text, isFirst);
        if ("problem" in parsed) {
          if (isFirst) throw new SseToolError("input", `${file}: ${parsed.problem}`);
          pendingProblem = { line: line.line, problem: parsed.problem };
          continue;
        }
        isFirst = false;
        entries.push(parsed);
      }
    }
  } catch (error) {
    if (error instanceof SseToolError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SseToolError("input", `cannot read ${file}: ${reason}`, { cause: error });
  }
  if (isFirst) throw new SseToolError("input", `${file}: empty, not an sse-tool recording`);
  if (pendingProblem !== undefined) {
    warn(
      `${file}:${pendingProblem.line}: ${pendingProblem.problem}; replaying what comes before it`,
    );
  }
  const plan = buildReplayPlan(entries);
  if ("problem" in plan) throw new SseToolError("input", `${file}: ${plan.problem}`);
  if (plan.unsendableHeaders > 0) {
    warn(`${file}: ${plan.unsendableHeaders} recorded header(s) cannot be sent and are left out`);
  }
  return plan;
}
