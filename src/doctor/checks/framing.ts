/**
 * Doctor checks of how the stream is framed: its line endings and the size of its lines and
 * events, against what client libraries handle. Pure.
 */
import { formatBytes } from "../../terminal/units.js";
import type { DoctorObservation } from "../observation.js";
import { type CheckResult, fail, pass, skip, warn } from "./result.js";

/** Lines longer than this break clients with a default line limit (Go's bufio.Scanner). */
export const longLineLimitBytes = 64 * 1024;

export function checkLineEndings(o: DoctorObservation): CheckResult {
  const { lf, crlf, cr } = o.lineEndings;
  const kinds = [
    ["LF", lf],
    ["CRLF", crlf],
    ["CR", cr],
  ] as const;
  const used = kinds.filter(([, count]) => count > 0);
  if (used.length === 0) return skip("line-endings", "no complete line");
  const text = used.map(([name, count]) => `${name} ${count}`).join(", ");
  if (used.length > 1) {
    return warn(
      "line-endings",
      `mixed line endings (${text}): valid, but hand-written parsers often split on one kind`,
      "end every line with LF",
    );
  }
  if (cr > 0) {
    return warn(
      "line-endings",
      `lone CR line endings (${text}): valid, but many non-browser clients only split on LF`,
      "end every line with LF",
    );
  }
  return pass("line-endings", `all ${used[0]![0]} (${used[0]![1]} lines)`);
}

export function checkEventSize(o: DoctorObservation): CheckResult {
  const { events, largestEventBytes: largest, oversizedEvents } = o.stream;
  if (events === 0 && oversizedEvents === 0 && o.lineEndings.longestLineBytes === 0) {
    return skip("event-size", "no events");
  }
  const longestLine = o.lineEndings.longestLineBytes;
  if (oversizedEvents > 0) {
    return fail(
      "event-size",
      `${oversizedEvents} event${oversizedEvents === 1 ? "" : "s"} over ${formatBytes(o.maxEventBytes)} ` +
        "(skipped here): clients buffer each event whole, and many give up far below that",
      "keep events small: send a reference (a URL or id) instead of a large payload",
    );
  }
  if (longestLine > longLineLimitBytes) {
    return warn(
      "event-size",
      `a line of ${formatBytes(longestLine)} (${events === 0 ? "no events" : `largest event ${formatBytes(largest)}`}): clients with a ` +
        "64 KiB line limit (Go bufio.Scanner and others) fail",
      "keep lines under 64 KiB: split big payloads into several data: lines or events",
    );
  }
  // Comments alone make lines but no event: say so rather than "largest event 0 B".
  const eventPart = events === 0 ? "no events" : `largest event ${formatBytes(largest)}`;
  return pass("event-size", `${eventPart}, longest line ${formatBytes(longestLine)}`);
}
