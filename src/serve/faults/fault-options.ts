/**
 * The faults `serve` can inject into its streams, for testing how a client copes (docs/test-double.md
 * "Faults"): what each option means, which combinations make sense, and how they are named in
 * the log. The library's `startServer()` takes the same options (times in milliseconds). The
 * faults themselves run in faults.ts. Pure.
 */

export interface FaultOptions {
  /** Close each connection abruptly (no clean end of the body) after this many events. */
  dropAfter?: number;
  /** Stop sending to each connection after this many events, for `stallFor` ms, then go on. */
  stallAfter?: number;
  /** How long a stall lasts, in milliseconds (with `stallAfter`). */
  stallFor?: number;
  /** Answer the first this many stream requests with `failStatus` instead of a stream. */
  failFirst?: number;
  /** The status of a failed request (default 503): 204 or an error status from 400 to 599. */
  failStatus?: number;
  /**
   * Cut the bytes of each stream into pieces of this many bytes, or of 1 to 32 bytes at random,
   * sent one at a time: cuts fall inside lines and inside multi-byte characters.
   */
  chunkSplit?: number | "random";
  /** Hold every write (the response head too) this many milliseconds. */
  latency?: number;
}

/** The status of a --fail-first answer when --fail-status is not given. */
export const defaultFailStatus = 503;

/** Largest piece of a `chunkSplit: "random"` cut. */
export const randomSplitMaxBytes = 32;

/** Why these fault options cannot be used, or undefined when they can. */
export function faultOptionsProblem(options: FaultOptions): string | undefined {
  const counts: Array<[keyof FaultOptions, string]> = [
    ["dropAfter", "--drop-after"],
    ["stallAfter", "--stall-after"],
    ["failFirst", "--fail-first"],
  ];
  for (const [key, flag] of counts) {
    const value = options[key];
    if (
      value !== undefined &&
      !(typeof value === "number" && Number.isSafeInteger(value) && value >= 1)
    ) {
      return `${flag} must be a whole number of 1 or more`;
    }
  }
  for (const [key, flag] of [
    ["stallFor", "--stall-for"],
    ["latency", "--latency"],
  ] as const) {
    const value = options[key];
    if (
      value !== undefined &&
      !(Number.isSafeInteger(value) && value >= 0 && value <= 2 ** 31 - 1)
    ) {
      return `${flag} must be a duration from 0 to about 24 days`;
    }
  }
  if ((options.stallAfter === undefined) !== (options.stallFor === undefined)) {
    return "--stall-after and --stall-for go together: after how many events, and for how long";
  }
  if (options.failStatus !== undefined) {
    if (options.failFirst === undefined) return "--fail-status needs --fail-first";
    const status = options.failStatus;
    if (!(Number.isInteger(status) && (status === 204 || (status >= 400 && status <= 599)))) {
      return "--fail-status must be 204 or an error status from 400 to 599";
    }
  }
  const split = options.chunkSplit;
  if (split !== undefined && split !== "random" && !(Number.isSafeInteger(split) && split >= 1)) {
    return '--chunk-split must be a number of bytes (1 or more) or "random"';
  }
  return undefined;
}

/** The faults that are on, as their options read (`--drop-after 3`, `--latency 200ms`). */
export function describeFaults(options: FaultOptions): string[] {
  const on: string[] = [];
  if (options.dropAfter !== undefined) on.push(`--drop-after ${options.dropAfter}`);
  if (options.stallAfter !== undefined) {
    on.push(`--stall-after ${options.stallAfter} --stall-for ${options.stallFor ?? 0}ms`);
  }
  if (options.failFirst !== undefined) {
    on.push(`--fail-first ${options.failFirst} (${options.failStatus ?? defaultFailStatus})`);
  }
  if (options.chunkSplit !== undefined) on.push(`--chunk-split ${options.chunkSplit}`);
  if (options.latency !== undefined && options.latency > 0)
    on.push(`--latency ${options.latency}ms`);
  return on;
}
