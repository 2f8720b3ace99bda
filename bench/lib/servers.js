/**
 * The three SSE servers the `serve` benchmarks compare, each fed lines on stdin:
 * `sse-tool serve`, a better-sse channel server (the peer) and a minimal node:http broadcaster
 * (the floor).
 */
import { benchDir, sseTool, startProcess } from "./proc.js";

/** @typedef {"sse-tool" | "better-sse" | "floor"} ServerKind */

/** @type {Record<ServerKind, string>} */
export const serverNames = {
  "sse-tool": "sse-tool serve",
  "better-sse": "better-sse channel (peer)",
  floor: "node:http broadcaster (floor)",
};

/**
 * Runs a command through `sh` with the soft file limit raised to the hard limit; `exec` keeps the
 * pid, so /proc/<pid> is the server itself.
 * @param {string[]} argv
 * @returns {[string, string[]]}
 */
function withRaisedFileLimit(argv) {
  return ["sh", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', ...argv]];
}

/**
 * @param {ServerKind} kind
 * @param {{ heartbeatMs?: number, raiseFileLimit?: boolean, ids?: boolean }} [options]
 *   ids: `serve --ids` (the default; false writes the very bytes the floor writes)
 * @returns {Promise<{ proc: import("./proc.js").Proc, url: string }>}
 */
export async function startServer(kind, options = {}) {
  const heartbeatMs = options.heartbeatMs ?? 0;
  /** @type {string[]} */
  let argv;
  if (kind === "sse-tool") {
    argv = [
      process.execPath,
      ...sseTool("serve", "--port", "0", "--format", "lines", "--quiet"),
      ...(options.ids === false ? [] : ["--ids"]),
      "--heartbeat",
      String(heartbeatMs / 1000),
    ];
  } else {
    const script = kind === "floor" ? "floor-broadcaster.js" : "better-sse-broadcaster.js";
    argv = [process.execPath, `${benchDir}servers/${script}`];
  }
  const [command, args] = options.raiseFileLimit
    ? withRaisedFileLimit(argv)
    : [argv[0] ?? "", argv.slice(1)];
  const proc = startProcess(command, args, { env: { HEARTBEAT_MS: String(heartbeatMs) } });
  if (kind === "sse-tool") {
    const match = await proc.waitForLine("stderr", /(http:\/\/\S+\/events)\b/, 15_000);
    return { proc, url: match[1] ?? "" };
  }
  const match = await proc.waitForLine("stdout", /"port":(\d+)/, 15_000);
  return { proc, url: `http://127.0.0.1:${match[1]}/events` };
}

/**
 * Starts the client process (see bench/clients/sse-clients.js).
 * @param {{ url: string, clients: number, mode: "count" | "latency" | "idle", expect?: number, transport?: "http" | "net" }} config
 * @param {{ raiseFileLimit?: boolean }} [options]
 */
export function startClients(config, options = {}) {
  const argv = [process.execPath, `${benchDir}clients/sse-clients.js`, JSON.stringify(config)];
  const [command, args] = options.raiseFileLimit
    ? withRaisedFileLimit(argv)
    : [argv[0] ?? "", argv.slice(1)];
  return startProcess(command, args);
}
