/**
 * The one error type of sse-tool. Library code throws it with a `code`; only the command
 * boundary (`src/cli/run-command.ts`) turns it into a one-line message and an exit code.
 */
export type SseToolErrorCode =
  /** Bad flags or arguments. */
  | "usage"
  /** TCP/TLS connect failure, DNS failure, refused connection, socket reset. */
  | "connect"
  /** A response status that is not 200 (204 is handled as "stop", not an error). */
  | "http-status"
  /** A 200 response whose MIME type is not text/event-stream. */
  | "content-type"
  /** Too many redirects. */
  | "redirect"
  /** An event or line larger than --max-event-size. */
  | "too-large"
  /** --timeout, --idle-timeout or a header timeout elapsed. */
  | "timeout"
  /** Unreadable input file or invalid input in --strict mode. */
  | "input"
  /** The server could not listen (port in use, permission). */
  | "listen"
  /** An assertion did not hold: listen --expect-*, load --max-* / --min-connected. */
  | "expectation"
  /** An MCP server broke the protocol, or answered with a JSON-RPC error or a failed tool call. */
  | "protocol"
  /** SIGINT. */
  | "interrupted";

export class SseToolError extends Error {
  override readonly name = "SseToolError";
  readonly code: SseToolErrorCode;

  constructor(code: SseToolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isSseToolError(error: unknown): error is SseToolError {
  return error instanceof SseToolError;
}

/** Exit codes scripts can rely on. Documented in `--help` and the README; keep them in sync. */
export const ExitCode = {
  /**
   * Done as asked: the stream ended, -n reached, --until-event seen, served and closed, load ran
   * its course.
   */
  ok: 0,
  /** Connection, HTTP, protocol or input failure. */
  failure: 1,
  /** Usage error: unknown flag, bad value. */
  usage: 2,
  /** --timeout or --idle-timeout elapsed. */
  timeout: 3,
  /** An assertion failed: listen --expect-*, load --max-* / --min-connected, mcp --check. */
  expectation: 4,
  /** Interrupted by Ctrl-C (SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM after printing what it has (load's report). */
  terminated: 143,
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
  0    done as asked (stream ended, -n reached, --until-event seen, load finished)
  1    connection, HTTP, protocol or input failure
  2    usage error
  3    --timeout or --idle-timeout elapsed
  4    an assertion failed (listen --expect-*, load --max-* / --min-connected, mcp --check)
  130  interrupted (Ctrl-C)
  143  stopped by SIGTERM (load prints its report so far first)`;

/** `serve`'s own exit codes, shown at the end of `serve --help` (the same numbers as above). */
export const serveExitCodeHelp = `Exit codes:
  0    stopped by Ctrl-C, SIGTERM or --exit-on-end, every client flushed
  1    cannot listen, unreadable input or --token-file, a bad line with --strict
  2    usage error
  130  a second Ctrl-C while closing (143: a second SIGTERM)`;
