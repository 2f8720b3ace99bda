/**
 * `sse-tool serve --llm-fake <provider>`: serve's endpoint (endpoint.ts) plus the provider's
 * chat route (llm-fake/), answering every request with the input text streamed as tokens; it runs until
 * SIGINT/SIGTERM. The whole input is the reply: it is read before the server listens, so every
 * request gets the same complete text.
 */
import { text } from "node:stream/consumers";
import { SseToolError } from "../errors.js";
import { whenInterrupted } from "../terminal/interrupts.js";
import { checkServeAccess } from "./access/serve-access.js";
import type { ServeCliOptions } from "./cli.js";
import { announceEndpoint, checkServeSource, serveLog, serveStopSignals } from "./command-setup.js";
import { closeFlushTimeoutMs, createEndpoint } from "./endpoint.js";
import { describeFaults } from "./faults/fault-options.js";
import { llmFakePaths, llmFakeRoutes } from "./llm-fake/route.js";
import type { LlmFakeProvider } from "./llm-fake/steps.js";

export async function serveLlmFake(
  file: string | undefined,
  provider: LlmFakeProvider,
  options: ServeCliOptions,
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
  const serveAccess = await checkServeAccess(options, process.env);
  const source = await checkServeSource(file, options);
  const logLines = serveLog(options);
  const { say, log } = logLines;
  const { server, streamPath } = createEndpoint(options, serveAccess, logLines);
  let replyText: string;
  try {
    replyText = await text(source.open());
  } catch (error) {
    throw new SseToolError("input", `cannot read the reply text: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const tokenDelayMs =
    options.llmFakeRate !== undefined
      ? 1000 / options.llmFakeRate
      : options.interval > 0
        ? options.interval
        : undefined;
  for (const route of llmFakeRoutes({
    provider,
    replyText,
    tokenDelayMs,
    firstTokenDelayMs: options.llmFakeTtft,
    stalls: options.llmFakeStall,
    finishNow: server.closingSignal,
    log,
  })) {
    server.addRoute(route);
  }
  const url = await server.listen();
  // The handler first: a script that sends SIGINT on reading "serving" finds it in place.
  const stop = whenInterrupted({ signals: serveStopSignals });
  try {
    announceEndpoint(url, options, serveAccess, streamPath, logLines);
    say(
      `llm-fake: POST ${new URL(url).origin}${llmFakePaths[provider]} streams the ` +
        `${replyText.length}-character reply in ${provider} format (Ctrl-C to stop)`,
    );
    await stop.interrupted;
    await server.close(closeFlushTimeoutMs);
    return 0;
  } finally {
    stop.remove();
  }
}
