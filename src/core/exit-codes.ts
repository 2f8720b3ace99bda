import type { SseToolErrorCode } from "./errors.js";

/** Exit codes scripts can rely on. Documented in `--help` and the README; keep them in sync. */
export const ExitCode = {
  /** Done as asked: the stream ended, -n reached, --until-event seen, served and closed. */
  ok: 0,
  /** Connection, HTTP, protocol or input failure. */
  failure: 1,
  /** Usage error: unknown flag, bad value. */
  usage: 2,
  /** --timeout or --idle-timeout elapsed. */
  timeout: 3,
  /** An --expect-* assertion failed. */
  expectation: 4,
  /** Interrupted by Ctrl-C (SIGINT). */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(code: SseToolErrorCode): ExitCodeValue {
  switch (code) {
    case "usage":
      return ExitCode.usage;
    case "timeout":
      return ExitCode.timeout;
    case "expectation":
      return ExitCode.expectation;
    case "interrupted":
      return ExitCode.interrupted;
    default:
      return ExitCode.failure;
  }
}

/** The exit-code table as shown at the end of `--help` and in the README. */
export const exitCodeHelp = `Exit codes:
  0    done as asked (stream ended, -n reached, --until-event seen)
  1    connection, HTTP, protocol or input failure
  2    usage error
  3    --timeout or --idle-timeout elapsed
  4    an --expect-* assertion failed
  130  interrupted (Ctrl-C)`;
