/**
 * `sse-tool doctor stream.jsonl`: the checks that need no live server, run on a recording
 * (`listen --record`): framing, line endings, event size, ids, bursts and heartbeat from the
 * recorded times, and the response head. The others are listed as skipped, with why.
 */
import { open } from "node:fs/promises";
import type { CommandIo } from "../../cli/command-io.js";
import { givenRequestOptions } from "../../cli/request-options.js";
import { ExitCode, SseToolError } from "../../errors.js";
import { readRecordingEntries, startsLikeRecording } from "../../recording/read.js";
import { escapeForTerminalLine } from "../../terminal/escape.js";
import { doctorFailed } from "../checklist.js";
import type { DoctorCliOptions } from "../cli.js";
import { buildDoctorReport } from "../report.js";
import { writeDoctorReport } from "../write-report.js";
import { runRecordingChecks } from "./checklist.js";
import { RecordingWatch } from "./recording-watch.js";

export async function doctorRecording(
  path: string,
  options: DoctorCliOptions,
  io: CommandIo,
): Promise<number> {
  refuseLiveOnlyOptions(options, path);
  const say = (line: string) => io.stderr.write(`${escapeForTerminalLine(line)}\n`);
  const watch = new RecordingWatch();
  try {
    const handle = await open(path, "r");
    const bytes = handle.createReadStream({ highWaterMark: 64 * 1024 });
    let first = true;
    const checked = (async function* () {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        if (first && !startsLikeRecording(chunk.subarray(0, 64).toString("latin1"))) {
          throw new SseToolError(
            "input",
            `${path} is not a listen --record recording (doctor needs its response head and times); sse-tool listen --stats ${path} reads a raw capture`,
          );
        }
        first = false;
        yield chunk;
      }
    })();
    for await (const entry of readRecordingEntries(checked, path, say)) watch.take(entry);
  } catch (error) {
    if (error instanceof SseToolError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SseToolError("input", `cannot read ${path}: ${reason}`, { cause: error });
  }
  const observation = watch.observation(path);
  const checks = runRecordingChecks(observation);
  const report = buildDoctorReport(observation, checks);
  writeDoctorReport(io, options, report);
  if (!options.json) {
    say(
      `sse-tool doctor: read from the recording ${path} (its first connection of ${watch.connections}); checks that need a live server are skipped`,
    );
  }
  return doctorFailed(checks) ? ExitCode.failure : ExitCode.ok;
}

/** Options that only mean something for a live endpoint: a usage error, never ignored. */
function refuseLiveOnlyOptions(options: DoctorCliOptions, path: string): void {
  const flags = givenRequestOptions(options);
  if (options.origin !== undefined) flags.push("--origin");
  if (flags.length === 0) return;
  throw new SseToolError(
    "usage",
    `${flags.join(", ")} ${flags.length === 1 ? "needs" : "need"} a URL; ${path} is a recording (no request is sent)`,
  );
}
