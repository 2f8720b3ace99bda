/**
 * `sse-tool mcp`'s declaration: its options, their type and defaults, and its help. The action
 * lazy-imports src/mcp/command.ts.
 */
import type { Command } from "commander";
import { durationForHelp } from "../cli/help-values.js";
import { secondsToMs } from "../cli/option-values.js";
import { addRequestOptions, connectTimeoutOption } from "../cli/request-options.js";
import { exitCodeHelp } from "../errors.js";
import type { RequestCliOptions } from "../http/request.js";

export interface McpCliOptions extends RequestCliOptions {
  cacert?: string;
  http2?: boolean;
  connectTimeout?: number;
  /** --timeout: the whole run's bound, in milliseconds. */
  timeout?: number;
  json?: boolean;
  verbose?: boolean;
  color: boolean;
  check?: boolean;
  keepSession?: boolean;
  session?: string;
  replies?: string;
}

/** How long a request waits for response headers when --connect-timeout is not given. */
export const defaultMcpConnectTimeoutMs = 30_000;

/** Declares `mcp` on the program; the caller adds the action. */
export function declareMcp(program: Command): Command {
  const command = addRequestOptions(
    program
      .command("mcp")
      .description(
        "Talk to an MCP server over Streamable HTTP (or HTTP+SSE): handshake, requests, streams, checks.",
      )
      .argument("<url>", "the MCP endpoint (http:// when no scheme is given), often .../mcp")
      .argument(
        "[request...]",
        "a JSON-RPC method and its params (one JSON object, or key=value / key:=json items); " +
          "call <tool> [args]; watch; nothing for a summary",
      ),
    true,
  )
    .addOption(connectTimeoutOption(program, durationForHelp(defaultMcpConnectTimeoutMs)))
    .option(
      "--timeout <duration>",
      "give up after this long, e.g. 30s (exit 3; a bare number is seconds); watch stops there (exit 0)",
      secondsToMs,
    )
    .option("--json", "print the final result (or the summary) as JSON on stdout")
    .option("-v, --verbose", "show every HTTP exchange, SSE frame and JSON-RPC message on stderr")
    .option(
      "--check",
      "run the transport checklist (PASS/WARN/FAIL with a fix each); exit 4 on a FAIL",
    )
    .option("--keep-session", "do not end the session (DELETE) when done; print its id")
    .option("--session <id>", "reuse this session (from --keep-session) instead of a handshake")
    .option(
      "--replies <file>",
      'JSON object of results for server requests by method, e.g. {"roots/list":{"roots":[]}}',
    )
    .option("--no-color", "no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)")
    .addHelpText(
      "after",
      `
Server-to-client requests are shown and answered: ping with an empty result, others
(sampling/createMessage, elicitation/create, roots/list) with "method not supported"
unless --replies has a result for them. A stream that closes before its response is
resumed with GET and Last-Event-ID.

Examples:
  sse-tool mcp http://localhost:3000/mcp                       # handshake and a summary
  sse-tool mcp http://localhost:3000/mcp tools/list --json | jq '.tools[].name'
  sse-tool mcp http://localhost:3000/mcp call add a:=1 b:=2
  sse-tool mcp http://localhost:3000/mcp resources/read '{"uri":"file:///notes.md"}'
  sse-tool mcp -v http://localhost:3000/mcp call long-task     # every exchange and frame
  sse-tool mcp http://localhost:3000/mcp watch                 # notifications until Ctrl-C
  sse-tool mcp --check --json http://localhost:3000/mcp        # CI: exit 4 on a FAIL
  sse-tool mcp -H "Authorization: Bearer $TOKEN" https://api.example.com/mcp

${exitCodeHelp}`,
    );
  // mcp writes its own requests: -X and -d are refused (src/mcp/connection.ts), not offered.
  for (const option of command.options) {
    if (option.long === "--method" || option.long === "--data") option.hideHelp();
  }
  return command;
}
