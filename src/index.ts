/**
 * The library API, for test code: `import { startServer, listen } from "sse-tool"`.
 *
 * - `startServer(options)`: the server `sse-tool serve` runs (history, ids, faults, replay,
 *   token, CORS and Host checks), on a free loopback port by default; publish events from code.
 * - `listen(url, options)`: a stream's events as an async iterable, followed as `sse-tool
 *   listen` follows it (request options, reconnection with Last-Event-ID); leaving the loop
 *   closes the connection.
 * - `mcp.connect(url)`: an MCP client over Streamable HTTP (docs/mcp.md), for asserting on a
 *   server's transport behaviour.
 * - `startLlmFake({ provider, replies })`: an LLM provider's API faked with scripted replies
 * - `startMcpFake({ tools, resources, prompts })`: an MCP server with canned tool results
 *   (docs/llm.md); hand its `baseURL` to the provider's SDK.
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
export {
  type FaultOptions,
  type JournalEnd,
  type JournalRequest,
  type RunningServer,
  type ServerEvent,
  type ServerOptions,
  startServer,
  type WaitForRequestOptions,
} from "./serve/library.js";
export {
  type LlmFakeProvider,
  type LlmFakeReply,
  type RunningLlmFake,
  type StartLlmFakeOptions,
  startLlmFake,
} from "./serve/llm-fake/library.js";
export {
  type McpFakeTool,
  type McpFakeToolStep,
  type McpFakeTools,
  type RunningMcpFake,
  type StartMcpFakeOptions,
  startMcpFake,
} from "./serve/mcp-fake/library.js";
