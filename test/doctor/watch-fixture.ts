/**
 * A doctor watch as the check tests describe it: every event, chunk and comment time, fed
 * through the probe's StreamTally into the observation the checks read; and a well-behaved
 * endpoint to change one thing at a time.
 */
import { runDoctorChecks } from "../../src/doctor/checklist.js";
import type { CheckId } from "../../src/doctor/checks/result.js";
import type { DoctorObservation, ResumeObservation } from "../../src/doctor/observation.js";
import { StreamTally } from "../../src/doctor/stream-tally.js";

/** One dispatched event as the probe sees it (times in ms since the headers). */
export interface ObservedEvent {
  atMs: number;
  type: string;
  lastEventId: string;
  dataBytes: number;
}

export const event = (
  atMs: number,
  id: string,
  type = "message",
  dataBytes = 10,
): ObservedEvent => ({
  atMs,
  type,
  lastEventId: id,
  dataBytes,
});

/**
 * A watch as the tests describe it: every event, chunk and comment time. `observed` feeds them
 * through the probe's StreamTally, as the probe does, into the observation the checks read.
 */
export type RawResume =
  | Extract<ResumeObservation, { ran: false }>
  | (Omit<Extract<ResumeObservation, { ran: true }>, "stream"> & { events: ObservedEvent[] });
export type RawWatch = Omit<DoctorObservation, "stream" | "resume" | "maxEventBytes"> & {
  events: ObservedEvent[];
  chunkTimesMs: number[];
  commentTimesMs: number[];
  resume: RawResume;
};

function tallied(
  events: ObservedEvent[],
  chunkTimesMs: number[],
  commentTimesMs: number[],
  endMs: number,
  seenBefore?: (id: string) => boolean,
): { tally: StreamTally; summary: DoctorObservation["stream"] } {
  const tally = new StreamTally(seenBefore);
  const happenings: Array<[number, () => void]> = [
    ...chunkTimesMs.map((t): [number, () => void] => [t, () => tally.chunk(t)]),
    ...commentTimesMs.map((t): [number, () => void] => [t, () => tally.comment(t)]),
    ...events.map((e): [number, () => void] => [
      e.atMs,
      () => tally.event(e.atMs, e.lastEventId, e.dataBytes),
    ]),
  ];
  happenings.sort((a, b) => a[0] - b[0]);
  for (const [, happen] of happenings) happen();
  return { tally, summary: tally.summary(endMs) };
}

export function observed(raw: RawWatch): DoctorObservation {
  const { events, chunkTimesMs, commentTimesMs, resume, ...rest } = raw;
  const first = tallied(events, chunkTimesMs, commentTimesMs, raw.endedAtMs ?? raw.durationMs);
  const observation: DoctorObservation = {
    ...rest,
    stream: first.summary,
    maxEventBytes: 16 * 1024 ** 2,
    resume: { ran: false, reason: "" },
  };
  if (!resume.ran) {
    observation.resume = resume;
  } else {
    const { events: resumedEvents, ...resumeRest } = resume;
    const times = resumedEvents.map((e) => e.atMs);
    const again = tallied(resumedEvents, times, [], resume.watchedMs, (id) =>
      first.tally.knows(id),
    );
    observation.resume = { ...resumeRest, stream: again.summary };
  }
  return observation;
}

/** What a well-behaved endpoint looks like after a 2 s watch. */
export function good(): RawWatch {
  const events = Array.from({ length: 10 }, (_, i) => event(10 + i * 150, String(i + 1)));
  return {
    url: "http://127.0.0.1:1/events",
    origin: "http://app.test",
    durationMs: 2000,
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      "access-control-allow-origin": "*",
    },
    httpVersion: "1.1",
    chunkTimesMs: [...events.map((e) => e.atMs), 300, 600, 900].sort((a, b) => a - b),
    events,
    commentTimesMs: [300, 600, 900, 1200, 1500, 1800],
    retryMs: 2000,
    lineEndings: { lf: 40, crlf: 0, cr: 0, longestLineBytes: 30 },
    bodyBytes: 400,
    resume: {
      ran: true,
      lastEventIdSent: "10",
      status: 200,
      events: [event(5, "11"), event(150, "12")],
      watchedMs: 500,
    },
  };
}

export function problems(raw: RawWatch): Array<[CheckId, string]> {
  return runDoctorChecks(observed(raw))
    .filter((result) => result.status === "warn" || result.status === "fail")
    .map((result) => [result.id, result.status]);
}
