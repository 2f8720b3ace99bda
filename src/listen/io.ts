/**
 * Where `listen` reads and writes (a command's I/O and what a run of several streams adds), and
 * what one of several streams is told about the others.
 */
import type { Writable } from "node:stream";
import type { Dispatcher } from "undici";
import type { CommandIo } from "../cli/command-io.js";
import type { RunClock } from "./run-clock.js";
import type { ListenTap } from "./tap.js";

/** The process's own streams unless a caller hands in others. */
export interface ListenIo extends CommandIo {
  /** Where a stream's error goes when `stderr` is quieted (-s); `stderr` when not given. */
  errors?: Writable;
  /** HTTP dispatcher to use instead of one built from --proxy/--insecure (tests). */
  dispatcher?: Dispatcher;
  /** Set when this run is one of several streams (src/listen/several-urls.ts). */
  source?: StreamSource;
  /** Told what goes over the wire and which events are shown (src/listen/tap.ts). */
  tap?: ListenTap;
  /** Where timings read the time: a recording's own clock when one is read back. */
  clock?: RunClock;
}

/** What one stream of several knows about the others (handed to it in ListenIo). */
export interface StreamSource {
  /** The URL as given: the `"source"` of its --json lines. */
  url: string;
  /** Short name shown before each of its events (src/listen/source-label.ts). */
  label: string;
  /** Width of the longest label, so event names line up. */
  labelWidth: number;
  /** Counts one shown event over all streams; returns the total so far (for `-n`). */
  countShownEvent(): number;
  /** Aborted once `-n` is reached over all streams: every stream then stops ("max-events"). */
  allShown: AbortSignal;
}
