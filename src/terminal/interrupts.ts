/**
 * How a command is stopped from outside: Ctrl-C (SIGINT), also SIGTERM for the server, or a
 * caller's AbortSignal for in-process runs. Shared by listen (each of its streams) and serve.
 */
import { constants } from "node:os";

export interface InterruptSources {
  /** A caller's signal (in-process runs): when given, process signals are left alone. */
  signal?: AbortSignal;
  /** The process signals that stop the command; SIGINT when not given. */
  signals?: readonly NodeJS.Signals[];
}

/**
 * Calls `stop` when the caller's signal aborts, or, without one, on the first process signal
 * (with its name). A second signal while shutting down exits at once, with the status a shell
 * gives a process killed by it (128 + its number: 130 for Ctrl-C). Returns the function that
 * unhooks it.
 */
export function onInterrupt(
  stop: (received?: NodeJS.Signals) => void,
  { signal, signals = ["SIGINT"] }: InterruptSources = {},
): () => void {
  if (signal) {
    const onAbort = () => stop();
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }
  let received = false;
  const onSignal = (name: NodeJS.Signals) => {
    if (received) process.exit(128 + constants.signals[name]);
    received = true;
    // The terminal echoed `^C` where the cursor was: what follows starts on a line of its own.
    if (name === "SIGINT" && process.stderr.isTTY) process.stderr.write("\n");
    stop(name);
  };
  for (const name of signals) process.on(name, onSignal);
  return () => {
    for (const name of signals) process.off(name, onSignal);
  };
}

/**
 * `onInterrupt` as a promise, for a command that waits for nothing else: it settles with the
 * signal's name (undefined for the caller's AbortSignal). The handler is in place on return, so
 * what the command prints next ("serving ...") can be answered with a signal at once.
 */
export function whenInterrupted(sources: InterruptSources = {}): {
  interrupted: Promise<NodeJS.Signals | undefined>;
  remove: () => void;
} {
  let settle: (received?: NodeJS.Signals) => void = () => {};
  const interrupted = new Promise<NodeJS.Signals | undefined>((resolve) => {
    settle = resolve;
  });
  return { interrupted, remove: onInterrupt(settle, sources) };
}
