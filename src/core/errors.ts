/**
 * The one error type of sse-tool. Library code throws it with a `code`; only the command
 * boundary (`src/commands/run-command.ts`) turns it into a one-line message and an exit code.
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
  /** A --expect-* assertion did not hold. */
  | "expectation"
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
