/**
 * Doctor checks of what a reconnecting client relies on: ids on events, the server resuming
 * after Last-Event-ID (the live resume test), and the retry: field. Pure.
 */
import type { DoctorObservation } from "../observation.js";
import { type CheckResult, fail, pass, seconds, skip, warn } from "./result.js";

export function checkIds(o: DoctorObservation): CheckResult {
  const { events, eventsWithNewIds: withIds } = o.stream;
  if (events === 0) return skip("ids", "no events");
  if (withIds === 0) {
    return warn(
      "ids",
      "no event has an id: a reconnecting client cannot say where it left off",
      "send id: <n> with each event and honour Last-Event-ID on reconnect",
    );
  }
  if (withIds < events) {
    return warn(
      "ids",
      `only ${withIds} of ${events} events set a new id`,
      "send a new id: with every event, so a client can resume after any of them",
    );
  }
  return pass("ids", `every event has an id (last: ${o.stream.lastEventId})`);
}

const integer = /^(0|[1-9][0-9]{0,14})$/;

export function checkResume(o: DoctorObservation): CheckResult {
  const resume = o.resume;
  if (!resume.ran) return skip("resume", resume.reason);
  const sent = resume.lastEventIdSent;
  if (resume.status === undefined) {
    return fail(
      "resume",
      `reconnecting with Last-Event-ID: ${sent} failed: ${resume.error ?? "no response"}`,
      "accept reconnects that carry a Last-Event-ID header",
    );
  }
  if (resume.status === 204) {
    return pass("resume", `reconnect with Last-Event-ID: ${sent} answered 204 (stream finished)`);
  }
  if (resume.status !== 200) {
    return fail(
      "resume",
      `reconnecting with Last-Event-ID: ${sent} got HTTP ${resume.status}`,
      "answer reconnects with Last-Event-ID like the first request",
    );
  }
  const resumed = resume.stream;
  if (resumed.repeatedIds > 0) {
    const shown = resumed.firstRepeatedIds.slice(0, 5).join(", ");
    return fail(
      "resume",
      `after Last-Event-ID: ${sent} the server repeated id ${shown}` +
        (resumed.repeatedIds > 5 ? ` and ${resumed.repeatedIds - 5} more` : ""),
      "on reconnect send only the events after the Last-Event-ID header's id",
    );
  }
  const first = resumed.firstNewIds[0];
  if (first === undefined) {
    if (o.endedAtMs !== undefined) {
      return pass("resume", `nothing repeated after Last-Event-ID: ${sent} (stream had ended)`);
    }
    const silent =
      `no event with an id within ${seconds(resume.watchedMs)} of reconnecting with ` +
      `Last-Event-ID: ${sent}`;
    // A server that resumes correctly sends nothing until its next event: only a stream whose
    // ids came well within that window should have shown one.
    const everyMs = o.durationMs / o.stream.eventsWithNewIds;
    if (resume.watchedMs < 2 * everyMs) {
      return skip(
        "resume",
        `could not be judged: ${silent}, and the first watch saw one every ${seconds(everyMs)}`,
        "watch longer (--duration)",
      );
    }
    return warn(
      "resume",
      `${silent}, though the first watch saw one every ${seconds(everyMs)}`,
      "after a reconnect with Last-Event-ID, go on sending events as before",
    );
  }
  // With consecutive integer ids, a jump shows that events sent meanwhile were lost.
  const consecutive = o.stream.eventsWithNewIds >= 2 && o.stream.consecutiveIntegerIds;
  if (consecutive && integer.test(sent) && integer.test(first)) {
    const expected = Number(sent) + 1;
    if (Number(first) > expected) {
      const lost =
        Number(first) - 1 === expected
          ? `id ${expected} was lost`
          : `ids ${expected}..${Number(first) - 1} were lost`;
      return warn(
        "resume",
        `resumed at id ${first} after Last-Event-ID: ${sent}: ${lost}`,
        "keep recent events and replay those after Last-Event-ID on reconnect",
      );
    }
  }
  return pass("resume", `resumed after Last-Event-ID: ${sent} with id ${first}, no repeats`);
}

export function checkRetry(o: DoctorObservation): CheckResult {
  if (o.retryMs === undefined) {
    return warn(
      "retry",
      "no retry: field; clients reconnect after their own default (about 3 s in browsers)",
      "send retry: <ms> at the start of the stream to choose the reconnect delay",
    );
  }
  if (o.retryMs < 500) {
    return warn(
      "retry",
      `retry: ${o.retryMs} ms; every client reconnects almost at once after an outage`,
      "use a retry of a second or more so reconnects do not stampede",
    );
  }
  return pass("retry", `retry: ${o.retryMs} ms`);
}
