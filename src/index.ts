/**
 * The library API, for test code: `import { startServer, listen } from "sse-tool"`.
 *
 * - `startServer(options)`: the server `sse-tool serve` runs (history, ids, faults, replay,
 *   token, CORS and Host checks), on a free loopback port by default; publish events from code.
 * - `listen(url, options)`: a stream's events as an async iterable, followed as `sse-tool
 *   listen` follows it (request options, reconnection with Last-Event-ID); leaving the loop
 *   closes the connection.
 *
 * Failures are thrown as SseToolError, with a `code` (README "Exit codes" lists what each
 * means for the command line). Nothing here prints or exits the process.
 */
export { SseToolError, type SseToolErrorCode } from "./errors.js";
export { type ListenEvent, type ListenOptions, listen } from "./listen/library.js";
export {
  type McpClient,
  type McpConnectOptions,
  type McpMessage,
  mcp,
} from "./mcp/library.js";
export type { FaultOptions } from "./serve/fault-options.js";
export type { RunningServer, ServerEvent, ServerOptions } from "./serve/server-options.js";
export { startServer } from "./serve/start-server.js";
