/**
 * Faults chosen by a request rather than by the server: `SSE-Tool-Fault: drop-after=3,
 * latency=200ms`, or the same spec in the `sse-tool-fault` query parameter (what a browser's
 * EventSource, which cannot set headers, can send). One server then serves many tests at once,
 * each stream with its own faults. Values are read by the command line's own parsers
 * (src/terminal/value-text.ts) and checked by its own rules (fault-options.ts). Linear time,
 * bounded length. Pure.
 */
import {
  readDuration,
  readReplaySpeed,
  readSplitSize,
  readWholeNumber,
  type ValueRead,
} from "../../terminal/value-text.js";
import { type FaultOptions, faultOptionsProblem } from "./fault-options.js";

/** The request header that carries a fault spec (HTTP header names are case-insensitive). */
export const faultHeaderName = "sse-tool-fault";

/** The query parameter that carries a fault spec, for clients that cannot set headers. */
export const faultQueryName = "sse-tool-fault";

/** A longer spec is refused unread: nothing a test needs comes close. */
export const maxFaultSpecLength = 512;

/** A `key=` of letters, digits and `._:-`, at most this long. */
const keyPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/** What one request asked for. */
export interface RequestFaults {
  /** The faults, as startServer() names them; they take the place of the server's own. */
  options: FaultOptions;
  /** With a replay: this stream's speed instead of the server's. */
  speed?: number | "max";
  /**
   * What `fail-first` and `times` count per: the `key=` given, else the spec as written, so
   * the reconnects of one EventSource (which re-send the same URL) count together.
   */
  key: string;
  /** The faults act on the first `times` requests of this key only; later ones are left alone. */
  times?: number;
  /** The spec as the request wrote it (for log lines and the journal). */
  spec: string;
}

export type FaultSpecRead = { ok: true; faults: RequestFaults } | { ok: false; problem: string };

type Setter = (faults: RequestFaults, value: string) => string | undefined;

/** A setter that reads its value with `read` and stores it with `store`. */
function setWith<T>(read: (raw: string) => ValueRead<T>, store: (f: RequestFaults, v: T) => void) {
  return (faults: RequestFaults, raw: string): string | undefined => {
    const value = read(raw);
    if (!value.ok) return value.problem;
    store(faults, value.value);
    return undefined;
  };
}

const count = (raw: string) => readWholeNumber(raw);
const duration = (raw: string) => readDuration(raw);

/** Each name a spec may use, and where its value goes. */
const setters: Record<string, Setter> = {
  "drop-after": setWith(count, (f, v) => {
    f.options.dropAfter = v;
  }),
  "stall-after": setWith(count, (f, v) => {
    f.options.stallAfter = v;
  }),
  "stall-for": setWith(duration, (f, v) => {
    f.options.stallFor = v;
  }),
  "fail-first": setWith(count, (f, v) => {
    f.options.failFirst = v;
  }),
  "fail-status": setWith(count, (f, v) => {
    f.options.failStatus = v;
  }),
  "chunk-split": setWith(readSplitSize, (f, v) => {
    f.options.chunkSplit = v;
  }),
  latency: setWith(duration, (f, v) => {
    f.options.latency = v;
  }),
  speed: setWith(readReplaySpeed, (f, v) => {
    f.speed = v;
  }),
  times: setWith(count, (f, v) => {
    f.times = v;
  }),
  key: (f, raw) => {
    const key = raw.trim();
    if (!keyPattern.test(key)) return "expected 1 to 64 letters, digits or ._:-";
    f.key = key;
    return undefined;
  },
};

/** The names a spec may use, for the message about one it may not. */
export const faultSpecNames = Object.keys(setters);

/**
 * Reads a fault spec: `name=value` items separated by commas (spaces around them ignored),
 * each name at most once, e.g. `drop-after=3, latency=200ms, key=test-7`.
 */
export function parseFaultSpec(text: string): FaultSpecRead {
  if (text.length > maxFaultSpecLength) {
    return { ok: false, problem: `the spec is over ${maxFaultSpecLength} characters` };
  }
  const spec = text.trim();
  const faults: RequestFaults = { options: {}, key: spec, spec };
  // `none`: this stream gets no fault, whatever the server's are.
  if (spec.toLowerCase() === "none") return { ok: true, faults };
  const seen = new Set<string>();
  for (const item of spec.split(",")) {
    const trimmed = item.trim();
    if (trimmed === "") continue;
    const equals = trimmed.indexOf("=");
    const name = (equals < 0 ? trimmed : trimmed.slice(0, equals)).trim().toLowerCase();
    const setter = Object.hasOwn(setters, name) ? setters[name] : undefined;
    if (setter === undefined) {
      return {
        ok: false,
        problem: `unknown fault ${JSON.stringify(name.slice(0, 40))} (known: ${faultSpecNames.join(", ")})`,
      };
    }
    if (equals < 0) return { ok: false, problem: `${name} needs a value: ${name}=<value>` };
    if (seen.has(name)) return { ok: false, problem: `${name} is given twice` };
    seen.add(name);
    const problem = setter(faults, trimmed.slice(equals + 1));
    if (problem !== undefined) return { ok: false, problem: `${name}: ${problem}` };
  }
  if (seen.size === 0) return { ok: false, problem: "the spec names no fault" };
  if (faults.times === 0) return { ok: false, problem: "times must be 1 or more" };
  const problem = faultOptionsProblem(faults.options);
  if (problem !== undefined) return { ok: false, problem: specWording(problem) };
  return { ok: true, faults };
}

/** fault-options.ts words its problems as flags (`--drop-after`); a spec names them bare. */
function specWording(problem: string): string {
  return problem.replaceAll("--", "");
}
