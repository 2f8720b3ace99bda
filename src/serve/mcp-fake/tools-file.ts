/**
 * What the MCP fake serves, as `serve --mcp-fake <file>` reads it and `startMcpFake()` takes
 * it: tools with canned results (and what happens while they run), resources and prompts.
 */

/** One thing a tool does before its result, in order. */
export type McpFakeToolStep =
  /** A progress notification, sent when the call asked for progress (a `progressToken`). */
  | { progress: number; total?: number; message?: string }
  /** A log notification (`notifications/message`). */
  | { log: string; level?: McpFakeLogLevel }
  /** The tool takes its time. */
  | { waitMs: number }
  /** The response's SSE stream is closed here; what follows waits for the client to resume. */
  | { closeStream: true };

export type McpFakeLogLevel =
  | "debug"
  | "info"
  | "notice"
  | "warning"
  | "error"
  | "critical"
  | "alert"
  | "emergency";

export interface McpFakeTool {
  name: string;
  title?: string;
  description?: string;
  /** Default: an object with no properties. */
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  /** The result as sent (`content`, `isError`, `structuredContent`); `text` is the short form. */
  result?: Record<string, unknown>;
  /** Short for a result of one text item. */
  text?: string;
  steps?: McpFakeToolStep[];
}

export interface McpFakeResource {
  uri: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** The contents: `text`, or `blob` (base64). */
  text?: string;
  blob?: string;
}

export interface McpFakePrompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
  /** The messages of `prompts/get`; `{{name}}` in a text is replaced by that argument. */
  messages: Record<string, unknown>[];
}

export interface McpFakeTools {
  /** serverInfo; default sse-tool's name and version. */
  server?: { name?: string; version?: string };
  /** Sent in the answer to `initialize`. */
  instructions?: string;
  tools?: McpFakeTool[];
  resources?: McpFakeResource[];
  prompts?: McpFakePrompt[];
}
