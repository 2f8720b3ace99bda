/**
 * `startMcpFake({ tools, resources, prompts })` for test code (`import { startMcpFake } from
 * "sse-tool"`): an MCP server on a free loopback port whose tools answer with canned results,
 * as `serve --mcp-fake <file>` does. Hand `url` to the MCP client. Nothing is printed: log
 * lines go to `onLog`.
 */
import { SseToolError } from "../../errors.js";
import { closeFlushTimeoutMs } from "../endpoint.js";
import { defaultWaitTimeoutMs, type RequestLog } from "../journal/request-journal.js";
import { serverDefaults } from "../library-options.js";
import { openMcpFake } from "./open.js";
import type { McpFakeTools } from "./tools-file.js";
import { checkTools } from "./tools-file-check.js";

export type {
  McpFakeLogLevel,
  McpFakePrompt,
  McpFakeResource,
  McpFakeTool,
  McpFakeToolStep,
  McpFakeTools,
} from "./tools-file.js";

export interface StartMcpFakeOptions extends McpFakeTools {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default "/mcp". */
  path?: string;
  /** Ms between keep-alive comments on a quiet GET stream (default 15 000; 0 off). */
  heartbeat?: number;
  onLog?: (message: string) => void;
}

export interface RunningMcpFake extends RequestLog {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp */
  url: string;
  /** Ends the sessions' streams and stops answering. */
  close(): Promise<void>;
}

export async function startMcpFake(options: StartMcpFakeOptions = {}): Promise<RunningMcpFake> {
  const {
    host = serverDefaults.host,
    port = 0,
    path = "/mcp",
    heartbeat = serverDefaults.heartbeat,
    onLog,
    ...given
  } = options;
  const checked = checkTools(given);
  if (checked.problems !== undefined) {
    throw new SseToolError("usage", `startMcpFake: ${checked.problems.join("; ")}`);
  }
  const log = onLog ?? (() => {});
  const endpoint = await openMcpFake(checked.tools, { host, port, path, heartbeat }, log);
  const url = `${new URL(await endpoint.server.listen()).origin}${endpoint.path}`;
  return {
    url,
    get requests() {
      return endpoint.journal.list();
    },
    waitForRequest: (predicate, { timeout = defaultWaitTimeoutMs } = {}) =>
      endpoint.journal.waitFor(
        predicate,
        timeout,
        () =>
          new SseToolError(
            "timeout",
            `no request the predicate accepts arrived within ${timeout} ms`,
          ),
      ),
    close: () => endpoint.server.close(closeFlushTimeoutMs),
  };
}
