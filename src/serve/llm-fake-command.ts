/**
 * `sse-tool serve --llm-fake <provider>`: serve's endpoint (endpoint.ts) plus the provider's
 * chat route (llm-fake/); it runs until SIGINT/SIGTERM. The replies come from `--script
 * <file>` (checked first: one line per mistake, exit 2), or else the whole input is the one
 * reply: it is read before the server listens, so every request gets the same complete text.
 */
import { text } from "node:stream/consumers";
import { type CommandIo, processIo } from "../cli/command-io.js";
import { ExitCode, SseToolError } from "../errors.js";
import { escapeForTerminalLine } from "../terminal/escape.js";
import { whenInterrupted } from "../terminal/interrupts.js";
import { checkServeAccess } from "./access/serve-access.js";
import type { ServeCliOptions } from "./cli.js";
import { announceEndpoint, checkServeSource, serveLog, serveStopSignals } from "./command-setup.js";
import { closeFlushTimeoutMs, createEndpoint } from "./endpoint.js";
import { describeFaults } from "./faults/fault-options.js";
import { llmFakePaths, llmFakeRoutes } from "./llm-fake/route.js";
import type { LlmFakePace, LlmFakeScript } from "./llm-fake/script.js";
import { readLlmFakeScript } from "./llm-fake/script-file.js";
import type { LlmFakeProvider } from "./llm-fake/steps.js";

export async function serveLlmFake(
  file: string | undefined,
  provider: LlmFakeProvider,
  options: ServeCliOptions,
  io: CommandIo = processIo(),
): Promise<number> {
  if (options.follow) {
    throw new SseToolError(
      "usage",
      "--follow does not apply to --llm-fake (the reply is read once)",
    );
  }
  if (options.replay !== undefined || describeFaults(options).length > 0) {
    throw new SseToolError(
      "usage",
      "--llm-fake answers chat requests; --replay and the faults (--drop-after, ...) act on the event stream",
    );
  }
  if (options.script !== undefined && file !== undefined) {
    throw new SseToolError("usage", "--script gives the replies: no input file with it");
  }
  let script: LlmFakeScript | undefined;
  if (options.script !== undefined) {
    const read = await readLlmFakeScript(options.script);
    if ("problems" in read) {
      for (const problem of read.problems) {
        io.stderr.write(`sse-tool: ${escapeForTerminalLine(`${options.script}: ${problem}`)}\n`);
      }
      return ExitCode.usage;
    }
    script = read.script;
  }
  const serveAccess = await checkServeAccess(options, io.env);
  const source =
    script === undefined
      ? await checkServeSource(file, options, undefined, () => io.stdin ?? process.stdin)
      : undefined;
  const logLines = serveLog(options, io.stderr);
  const { say, log } = logLines;
  const { server, streamPath } = createEndpoint(options, serveAccess, logLines);
  if (source !== undefined) {
    let replyText: string;
    try {
      replyText = await text(source.open());
    } catch (error) {
      throw new SseToolError("input", `cannot read the reply text: ${(error as Error).message}`, {
        cause: error,
      });
    }
    script = { replies: [{ text: replyText }] };
  }
  script = { ...script!, pace: { ...script!.pace, ...flagPace(options) } };
  for (const route of llmFakeRoutes({ provider, script, finishNow: server.closingSignal, log })) {
    server.addRoute(route);
  }
  const url = await server.listen();
  // The handler first: a script that sends SIGINT on reading "serving" finds it in place.
  const stop = whenInterrupted({ signals: serveStopSignals, signal: io.signal });
  try {
    announceEndpoint(url, options, serveAccess, streamPath, logLines);
    const what =
      options.script === undefined
        ? `the ${script.replies[0]?.text?.length ?? 0}-character reply`
        : `the ${script.replies.length} replies of ${options.script}`;
    say(
      `llm-fake: POST ${new URL(url).origin}${llmFakePaths[provider]} streams ` +
        `${what} in ${provider} format (Ctrl-C to stop)`,
    );
    await stop.interrupted;
    await server.close(closeFlushTimeoutMs);
    return 0;
  } finally {
    stop.remove();
  }
}

/** The pace flags, over whatever pace the script sets. */
function flagPace(options: ServeCliOptions): LlmFakePace {
  const pace: LlmFakePace = {};
  if (options.llmFakeTtft !== undefined) pace.ttftMs = options.llmFakeTtft;
  if (options.llmFakeRate !== undefined) pace.tokensPerSecond = options.llmFakeRate;
  else if (options.interval > 0) pace.tokensPerSecond = 1000 / options.interval;
  if (options.llmFakeStall !== undefined) pace.stalls = options.llmFakeStall;
  return pace;
}
