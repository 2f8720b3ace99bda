/**
 * Options that only mean something for a URL, refused (exit 2) when `listen` reads a capture,
 * so a flag is never silently ignored. Pure.
 */
import { defaultRetryMs, givenRequestOptions } from "../../cli/request-options.js";
import { SseToolError } from "../../errors.js";
import type { ListenCliOptions } from "../cli.js";

/** The flag and whether it was given, for each option a capture cannot use. */
function givenUrlOnlyOptions(options: ListenCliOptions): string[] {
  const given: [string, boolean][] = [
    ["--accept-any-type", options.acceptAnyType === true],
    ["--retry", options.retry !== defaultRetryMs],
    ["--last-event-id", options.lastEventId !== undefined],
    ["--no-reconnect", options.reconnect === false],
    ["--reconnect-post", options.reconnectPost === true],
    ["--max-retries", options.maxRetries !== undefined],
    ["--record", options.record !== undefined],
  ];
  return [
    ...givenRequestOptions(options),
    ...given.filter(([, isGiven]) => isGiven).map(([flag]) => flag),
  ];
}

/** Throws a usage error naming the URL-only options given with a capture `name`. */
export function refuseUrlOnlyOptions(options: ListenCliOptions, name: string): void {
  const flags = givenUrlOnlyOptions(options);
  if (flags.length === 0) return;
  throw new SseToolError(
    "usage",
    `${flags.join(", ")} ${flags.length === 1 ? "needs" : "need"} a URL; ${name} is read as captured (no request, no reconnects)`,
  );
}
