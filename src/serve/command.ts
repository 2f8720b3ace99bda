/**
 * `sse-tool serve [file]`: wires the source (stdin or a file), the input pump, the broadcast
 * hub and the HTTP server together, and owns the life cycle: wait for the first client, read,
 * keep serving or exit on end, and close cleanly on SIGINT/SIGTERM.
 */
import { createReadStream } from "node:fs";
import { access, constants } from "node:fs/promises";
import { isIP } from "node:net";
import type { Readable } from "node:stream";
import { SseToolError } from "../errors.js";
import { resolveAccessToken } from "./access.js";
import { BroadcastHub } from "./hub.js";
import { EventPump } from "./input/pump.js";
import { llmFakePaths, llmFakeRoutes } from "./llm-fake/route.js";
import type { LlmFakeProvider, LlmFakeStall } from "./llm-fake/steps.js";
import { installServeRoutes } from "./routes.js";
import { SseServer } from "./server.js";

export interface ServeCliOptions {
  format: "auto" | "lines" | "ndjson" | "sse";
  strict?: boolean;
  event?: string;
  ids?: boolean;
  interval: number;
  timing: "none" | "original";
  loop?: boolean;
  host: string;
  port: number;
  path: string;
  /** The allowed origin, or false for --no-cors. */
  cors: string | false;
  history: number;
  maxClientBuffer: number;
  wait: boolean;
  /** Milliseconds between heartbeats; 0 is off. */
  heartbeat: number;
  retry?: number;
  exitOnEnd?: boolean;
  ui: boolean;
  publish: boolean;
  token?: string;
  quiet?: boolean;
  /** Answer the provider's chat request with the input text as a streamed reply. */
  llmFake?: LlmFakeProvider;
  /** --llm-fake-ttft: ms before the first token. */
  llmFakeTtft?: number;
  /** --llm-fake-rate: tokens per second. */
  llmFakeRate?: number;
  /** --llm-fake-stall (repeatable): pauses at token positions. */
  llmFakeStall?: LlmFakeStall[];
}

/**
 * Input lines longer than this are skipped with a warning. Half of `listen`'s default
 * --max-event-size, so whatever `serve` sends, `listen` accepts by default.
 */
export const maxInputLineBytes = 8 * 1024 ** 2;

/** While a client has more than this unsent, the source is not read on. */
const highWaterBytesLimit = 64 * 1024;

/** A client that makes no progress this long while the source waits is no longer waited for. */
const stallMs = 1_000;

/** How long closing waits for clients to take the bytes already written to them. */
const closeFlushTimeoutMs = 5_000;

export async function serve(file: string | undefined, options: ServeCliOptions): Promise<number> {
  const fromStdin = file === undefined || file === "-";
  if (options.loop && fromStdin) {
    throw new SseToolError("usage", "--loop needs a file to replay (stdin can be read only once)");
  }
  if (!fromStdin) {
    try {
      await access(file, constants.R_OK);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new SseToolError("input", `cannot read ${file}: ${reason}`, { cause: error });
    }
  }
  // Logs must never take the server down: with stderr piped into a reader that went away
  // (`serve 2>&1 | head`), writes fail with EPIPE and are dropped.
  process.stderr.on("error", () => {});
  const say = (message: string) => process.stderr.write(`sse-tool: ${message}\n`);
  const log = options.quiet ? () => {} : say;
  const sourceName = fromStdin ? "<stdin>" : file;
  const streamPath = options.path.startsWith("/") ? options.path : `/${options.path}`;

  const hub = new BroadcastHub({
    historySize: options.history,
    assignIds: options.ids ?? false,
    maxClientBufferBytes: options.maxClientBuffer,
  });
  const server = new SseServer({
    hub,
    host: options.host,
    port: options.port,
    streamPath,
    cors: options.cors,
    ...(options.retry === undefined ? {} : { retryMs: options.retry }),
    heartbeatMs: options.heartbeat,
    log,
    warn: say,
  });
  // Viewer page at /, POST publishing, and the --token guard (src/serve/routes.ts).
  const token = resolveAccessToken(options.token, process.env.SSE_TOOL_TOKEN);
  installServeRoutes(server, {
    hub,
    streamPath,
    ui: options.ui,
    publish: options.publish,
    token,
    ...(options.event === undefined ? {} : { defaultEventType: options.event }),
    log,
  });
  const pace = [options.llmFakeTtft, options.llmFakeRate, options.llmFakeStall];
  if (options.llmFake === undefined && pace.some((value) => value !== undefined)) {
    throw new SseToolError(
      "usage",
      "--llm-fake-ttft, --llm-fake-rate and --llm-fake-stall need --llm-fake",
    );
  }
  let replyText: string | undefined;
  if (options.llmFake !== undefined) {
    // The whole input is the reply; it is read before the first request so every request
    // gets the same complete text.
    replyText = await readAllText(
      fromStdin ? process.stdin : createReadStream(file, { highWaterMark: 64 * 1024 }),
    );
    const tokenDelayMs =
      options.llmFakeRate !== undefined
        ? 1000 / options.llmFakeRate
        : options.interval > 0
          ? options.interval
          : undefined;
    for (const route of llmFakeRoutes({
      provider: options.llmFake,
      replyText,
      tokenDelayMs,
      firstTokenDelayMs: options.llmFakeTtft,
      stalls: options.llmFakeStall,
      cors: options.cors,
      log,
    })) {
      server.addRoute(route);
    }
  }
  const url = await server.listen();
  say(`serving ${url}`);
  if (options.llmFake !== undefined) {
    say(
      `llm-fake: POST ${new URL(url).origin}${llmFakePaths[options.llmFake]} streams the ` +
        `${replyText?.length ?? 0}-character reply in ${options.llmFake} format (Ctrl-C to stop)`,
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await server.close(closeFlushTimeoutMs);
    return 0;
  }
  if (options.ui && streamPath !== "/") {
    log(`viewer page: ${new URL(url).origin}/${token === undefined ? "" : "?token=<token>"}`);
  }
  if (!isLoopback(options.host) && token === undefined) {
    say(
      `warning: listening on ${options.host} without --token: anyone who can reach this machine can read and publish`,
    );
  }

  const pump = new EventPump({
    hub,
    openSource: (): Readable =>
      fromStdin ? process.stdin : createReadStream(file, { highWaterMark: 64 * 1024 }),
    sourceName,
    format: options.format,
    ...(options.event === undefined ? {} : { defaultEventType: options.event }),
    strict: options.strict ?? false,
    intervalMs: options.interval,
    timing: options.timing,
    loop: options.loop ?? false,
    maxLineBytes: maxInputLineBytes,
    highWaterBytes: Math.max(1, Math.min(highWaterBytesLimit, options.maxClientBuffer / 2)),
    stallMs,
    warn: say,
  });

  let stopRequested = false;
  let signalled: () => void = () => {};
  const interrupted = new Promise<void>((resolve) => {
    signalled = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) return;
    stopRequested = true;
    say(`${signal}: flushing to ${hub.clientCount} client(s) and closing`);
    // Events already read are published at once, then the streams are ended below.
    void pump.stop().then(signalled);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    if (options.wait) {
      log(`waiting for the first client before reading ${sourceName} (--no-wait to start now)`);
      await Promise.race([server.firstClient, interrupted]);
    }
    if (!stopRequested) {
      if (fromStdin && process.stdin.isTTY) log("type events, one per line; Ctrl-D ends input");
      const count = await pump.run();
      const events = count === 1 ? "1 event" : `${count} events`;
      if (!stopRequested) {
        if (options.exitOnEnd) {
          log(`${sourceName} ended after ${events}; flushing and closing (--exit-on-end)`);
        } else {
          log(`${sourceName} ended after ${events}; still serving (Ctrl-C to stop)`);
          await interrupted;
        }
      }
    }
    if (stopRequested) await interrupted;
    await server.close(closeFlushTimeoutMs);
    return 0;
  } catch (error) {
    await pump.stop();
    await server.close(closeFlushTimeoutMs);
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (fromStdin) process.stdin.destroy();
  }
}

async function readAllText(source: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    }
  } catch (error) {
    throw new SseToolError("input", `cannot read the reply text: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}
