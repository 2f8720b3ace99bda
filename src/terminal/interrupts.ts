/** Ctrl-C handling shared by every stream `listen` runs. */
import { ExitCode } from "../errors.js";

/**
 * Calls `stop(reason)` when the caller's signal aborts, or, without a signal, on Ctrl-C; a
 * second Ctrl-C while shutting down exits at once. Returns the function that unhooks it.
 */
export function onInterrupt(
  signal: AbortSignal | undefined,
  stop: (reason: unknown) => void,
): () => void {
  if (signal) {
    const onAbort = () => stop(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(ExitCode.interrupted);
    stop(undefined);
  };
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}
