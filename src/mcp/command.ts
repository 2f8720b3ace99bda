/**
 * `sse-tool mcp`: connects (handshake, or a reused session), then does what the words after
 * the URL ask: the summary, one request, `watch`, or the `--check` checklist; ends the session.
 */
import { readFile } from "node:fs/promises";
import { ExitCode, SseToolError } from "../errors.js";
import { chalkFor } from "../terminal/chalk.js";
import {
  escapeForTerminal,
  escapeForTerminalLine,
  escapeJsonForTerminal,
} from "../terminal/escape.js";
import { onInterrupt } from "../terminal/interrupts.js";
import { runMcpCheck } from "./check/checklist.js";
import type { McpCliOptions } from "./cli.js";
import { openConnection } from "./connection.js";
import { parseAction, withProgressToken } from "./params.js";
import { McpSession } from "./session/session.js";
import { gatherSummary } from "./summary.js";
import { liveView } from "./view/live.js";
import { formatResult } from "./view/messages.js";
import { formatSummary } from "./view/summary.js";

export async function mcp(url: string, words: string[], options: McpCliOptions): Promise<number> {
  const action = parseAction(words);
  if (options.check && action.kind !== "summary") {
    throw new SseToolError("usage", "--check takes only the URL");
  }
  const replies = options.replies === undefined ? undefined : await readReplies(options.replies);
  const stdout = process.stdout;
  const chalk = chalkFor({
    colorFlag: options.color,
    env: process.env,
    stream: process.stderr,
    standsFor: "stderr",
  });
  const observer = liveView({
    verbose: options.verbose === true,
    json: options.json === true,
    watching: action.kind === "watch",
    chalk,
    stdout,
    stderr: process.stderr,
  });
  const controller = new AbortController();
  let interrupted = false;
  const unhookInterrupt = onInterrupt(() => {
    interrupted = true;
    controller.abort();
  });
  let timedOut = false;
  const timer =
    options.timeout === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.timeout);
  const unhook = () => {
    clearTimeout(timer);
    unhookInterrupt();
  };
  const connection = await openConnection(url, options, observer, controller.signal);
  const writeJson = (value: unknown) => {
    const json = JSON.stringify(value) ?? "null";
    stdout.write(`${stdout.isTTY ? escapeJsonForTerminal(json) : json}\n`);
  };
  if (options.check) {
    try {
      return await runMcpCheck(connection, options, chalk, writeJson);
    } finally {
      unhook();
      await connection.dispatcher.destroy();
    }
  }
  const session = new McpSession({
    url: connection.url,
    context: connection.context,
    baseHeaders: connection.baseHeaders,
    ...(options.session === undefined ? {} : { sessionId: options.session }),
    ...(replies === undefined ? {} : { replies }),
  });
  try {
    if (options.session === undefined) await session.initialize();
    if (action.kind === "summary") {
      const summary = await gatherSummary(session);
      if (options.json) writeJson(summary);
      else stdout.write(`${formatSummary(summary).map(escapeForTerminalLine).join("\n")}\n`);
      return ExitCode.ok;
    }
    if (action.kind === "watch") {
      const outcome = await session.watch();
      if (outcome === "no-stream") {
        observer.note?.(
          "the server offers no stream of its own (GET got 405): fine, it speaks only in answers",
        );
        return ExitCode.ok;
      }
      if (interrupted) return ExitCode.interrupted;
      // watch ends at --timeout as a run that was asked to last that long.
      if (timedOut) return ExitCode.ok;
      observer.note?.("the server ended its stream");
      return ExitCode.ok;
    }
    const params =
      action.method === "tools/call" ? withProgressToken(action.params, "sse-tool") : action.params;
    const result = await session.request(action.method, params);
    if (options.json) writeJson(result);
    else {
      // The result is data: as the server sent it into a pipe or file, escaped on a terminal.
      const text = formatResult(action.method, result);
      stdout.write(`${stdout.isTTY ? escapeForTerminal(text) : text}\n`);
    }
    if (action.method === "tools/call" && (result as { isError?: unknown })?.isError === true) {
      throw new SseToolError(
        "protocol",
        `the tool ${String(action.params?.name)} reported an error (isError: true): its message is above`,
      );
    }
    return ExitCode.ok;
  } catch (error) {
    if (interrupted) return ExitCode.interrupted;
    if (timedOut && action.kind === "watch") return ExitCode.ok;
    if (timedOut) {
      throw new SseToolError("timeout", `no answer within --timeout ${options.timeout! / 1000} s`);
    }
    throw error;
  } finally {
    await session.close(options.keepSession === true);
    if (options.keepSession && session.sessionId !== undefined) {
      process.stderr.write(
        `sse-tool: session kept: ${escapeForTerminalLine(session.sessionId)} (reuse it with --session ${escapeForTerminalLine(session.sessionId)})\n`,
      );
    }
    unhook();
    await connection.dispatcher.destroy();
  }
}

/** The --replies file: a JSON object of results by method name. */
async function readReplies(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SseToolError("input", `cannot read --replies ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SseToolError("input", `--replies ${path} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SseToolError("input", `--replies ${path}: expected an object of results by method`);
  }
  return value as Record<string, unknown>;
}
