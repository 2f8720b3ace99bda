/**
 * `sse-tool serve [file]`: the input source, the input pump and the server (the one the
 * library's startServer() starts too, open-server.ts) wired together, and the life cycle: wait
 * for the first client, read, keep serving or exit on end, and close cleanly on SIGINT/SIGTERM.
 * `serve --replay <file>` plays a recording instead of reading input (replay.ts). (`serve
 * --llm-fake` is src/serve/llm-fake/command.ts.)
 */
import { type CommandIo, processIo } from "../cli/command-io.js";
import { SseToolError } from "../errors.js";
import { onInterrupt, whenInterrupted } from "../terminal/interrupts.js";
import { checkServeAccess, type ServeAccess } from "./access/serve-access.js";
import type { ServeCliOptions } from "./cli.js";
import {
  announceEndpoint,
  checkServeSource,
  type ServeLog,
  serveLog,
  serveStopSignals,
} from "./command-setup.js";
import { checkServerOptions, type OpenedServer, openServer } from "./endpoint.js";
import { describeFaults } from "./faults/fault-options.js";
import { EventPump } from "./input/pump.js";
import type { ServerOptions } from "./library-options.js";

/**
 * Input lines longer than this are skipped with a warning. Half of `listen`'s default
 * --max-event-size, so whatever `serve` sends, `listen` accepts by default.
 */
export const maxInputLineBytes = 8 * 1024 ** 2;

/** While a client has more than this unsent, the source is not read on. */
const highWaterBytesLimit = 64 * 1024;

/** A client that makes no progress this long while the source waits is no longer waited for. */
const stallMs = 1_000;

export async function serve(
  file: string | undefined,
  options: ServeCliOptions,
  io: CommandIo = processIo(),
): Promise<number> {
  const pace = [options.llmFakeTtft, options.llmFakeRate, options.llmFakeStall, options.script];
  if (pace.some((value) => value !== undefined)) {
    throw new SseToolError(
      "usage",
      "--llm-fake-ttft, --llm-fake-rate, --llm-fake-stall and --script need --llm-fake",
    );
  }
  checkServerOptions(serverOptions(options));
  if (options.replay !== undefined) return serveReplay(file, options, io);
  if (options.follow && options.exitOnEnd) {
    throw new SseToolError("usage", "--follow and --exit-on-end: a followed file never ends");
  }
  const serveAccess = await checkServeAccess(options, io.env);
  const logLines = serveLog(options, io.stderr);
  const { say, log } = logLines;
  const stdin = () => io.stdin ?? process.stdin;
  const source = await checkServeSource(file, options, say, stdin);
  const opened = await openServer(serverOptions(options), serveAccess, logLines);
  const { server } = opened;
  const hub = opened.hub!;

  const pump = new EventPump({
    hub,
    openSource: source.open,
    sourceName: source.name,
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
  let stopped: () => void = () => {};
  const interrupted = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const removeInterruptHandler = onInterrupt(
    (signal) => {
      stopRequested = true;
      say(`${signal ?? "stopped"}: flushing to ${hub.clientCount} client(s) and closing`);
      // Events already read are published at once, then the streams are ended below.
      void pump.stop().then(stopped);
    },
    { signals: serveStopSignals, signal: io.signal },
  );
  // Only now: a script that sends SIGINT on reading "serving" finds the handler in place.
  announce(opened, options, serveAccess, logLines);

  try {
    if (options.wait) {
      log(`waiting for the first client before reading ${source.name} (--no-wait to start now)`);
      await Promise.race([server.firstClient, interrupted]);
    }
    if (!stopRequested) {
      if (source.fromStdin && stdin().isTTY) log("type events, one per line; Ctrl-D ends input");
      const count = await pump.run();
      const events = count === 1 ? "1 event" : `${count} events`;
      if (!stopRequested) {
        if (options.exitOnEnd) {
          log(`${source.name} ended after ${events}; flushing and closing (--exit-on-end)`);
        } else {
          log(`${source.name} ended after ${events}; still serving (Ctrl-C to stop)`);
          await interrupted;
        }
      }
    }
    if (stopRequested) await interrupted;
    await opened.close();
    return 0;
  } catch (error) {
    await pump.stop();
    await opened.close();
    throw error;
  } finally {
    removeInterruptHandler();
    if (source.fromStdin) stdin().destroy();
  }
}

/** `serve --replay <file>`: the recording to each client, until SIGINT/SIGTERM. */
async function serveReplay(
  file: string | undefined,
  options: ServeCliOptions,
  io: CommandIo,
): Promise<number> {
  const refused: Array<[boolean, string]> = [
    [file !== undefined, "an input file"],
    [options.follow === true, "--follow"],
    [options.interval > 0, "--interval"],
    [options.timing !== "none", "--timing"],
    [options.exitOnEnd === true, "--exit-on-end"],
    [options.strict === true, "--strict"],
  ];
  const given = refused.filter(([isGiven]) => isGiven).map(([, what]) => what);
  if (given.length > 0) {
    throw new SseToolError(
      "usage",
      `--replay plays a recording as it was recorded; it takes no ${given.join(", ")}`,
    );
  }
  const serveAccess = await checkServeAccess(options, io.env);
  const logLines = serveLog(options, io.stderr);
  const opened = await openServer(serverOptions(options), serveAccess, logLines);
  const stop = whenInterrupted({ signals: serveStopSignals, signal: io.signal });
  try {
    announce(opened, options, serveAccess, logLines);
    const speed =
      options.speed === undefined || options.speed === 1 ? "" : `, --speed ${options.speed}`;
    logLines.say(
      `replaying ${options.replay} to each client from the start${speed}${options.loop ? ", looped" : ""}`,
    );
    await stop.interrupted;
    await opened.close();
    return 0;
  } finally {
    stop.remove();
  }
}

/** The lines every mode prints once listening, and the faults that are on. */
function announce(
  opened: OpenedServer,
  options: ServeCliOptions,
  serveAccess: ServeAccess,
  logLines: ServeLog,
): void {
  announceEndpoint(opened.url, options, serveAccess, opened.streamPath, logLines);
  const faults = describeFaults(options);
  if (faults.length > 0) logLines.say(`faults on every stream: ${faults.join(", ")}`);
}

/**
 * serve's options as startServer() takes them (the same names; access is decided by
 * checkServeAccess). --loop is the pump's unless a recording is replayed.
 */
function serverOptions(options: ServeCliOptions): ServerOptions {
  return { ...options, loop: options.replay === undefined ? undefined : options.loop };
}
