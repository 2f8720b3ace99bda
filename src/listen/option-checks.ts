/** The combinations of listen's options that make no sense, said before anything starts. */
import { SseToolError } from "../errors.js";
import type { ListenCliOptions } from "./cli.js";

/**
 * Options that contradict each other or the number of URLs: usage errors (exit 2), said once,
 * before anything is read or connected.
 */
export function checkListenOptions(options: ListenCliOptions, urlCount: number): void {
  if (urlCount > 1 && options.raw) {
    throw new SseToolError("usage", "--raw writes one body unchanged; give it one URL");
  }
  if (urlCount > 1 && options.record !== undefined) {
    throw new SseToolError("usage", "--record writes one connection's recording; give it one URL");
  }
  if (urlCount > 1 && options.llm === true) {
    throw new SseToolError("usage", "--llm assembles one reply; give it one URL");
  }
  if (options.raw && options.llm === true) {
    throw new SseToolError(
      "usage",
      "--raw writes the body unchanged; it cannot be combined with --llm",
    );
  }
  if (options.raw && (options.json || options.event || options.comments)) {
    throw new SseToolError(
      "usage",
      "--raw writes the body unchanged; it cannot be combined with --json, --event or --comments",
    );
  }
}
