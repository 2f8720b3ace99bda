/**
 * When things happened during a doctor watch, for the HTML report: the request, the headers,
 * each event and comment, the end of the stream, the resume test's reconnect. Bounded: the
 * first `maxMarks` marks are kept and the rest only counted; labels are cut short. Pure: the
 * probe hands in wall-clock times.
 */
import { detachedCopy } from "../../sse/detached-copy.js";

export type WatchMarkKind =
  | "request"
  | "headers"
  | "event"
  | "comment"
  | "end"
  | "resume-request"
  | "resume-headers"
  | "resume-event";

export interface WatchMark {
  kind: WatchMarkKind;
  /** ms since the first request. */
  atMs: number;
  /** The event's name and id, a comment's text: server data, shown only through escapers. */
  label: string;
}

export const maxMarks = 5000;
const maxLabelLength = 80;

export class WatchTimeline {
  readonly startMs: number;
  readonly marks: WatchMark[] = [];
  /** Marks past `maxMarks`, not kept. */
  dropped = 0;

  constructor(startMs: number) {
    this.startMs = startMs;
  }

  mark(kind: WatchMarkKind, atEpochMs: number, label = ""): void {
    if (this.marks.length >= maxMarks) {
      this.dropped++;
      return;
    }
    // A copy, so a short label does not pin the chunk it was cut from.
    const short = label.length > maxLabelLength ? `${label.slice(0, maxLabelLength)}…` : label;
    this.marks.push({ kind, atMs: atEpochMs - this.startMs, label: detachedCopy(short) });
  }
}
