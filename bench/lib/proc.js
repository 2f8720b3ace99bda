/**
 * Process plumbing for the benchmarks: spawn a contender, wait for a line it prints, watch its
 * memory through /proc, and time it on the machine's monotonic clock (process.hrtime is
 * CLOCK_MONOTONIC, so readings taken in different processes on this machine compare directly).
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI under test; SSE_TOOL_BIN points at another build (to compare a change A/B). */
export const binPath =
  process.env.SSE_TOOL_BIN ?? fileURLToPath(new URL("../../bin/sse-tool.js", import.meta.url));
export const benchDir = fileURLToPath(new URL("..", import.meta.url));

/** @returns {bigint} nanoseconds on the monotonic clock */
export const nowNs = () => process.hrtime.bigint();

/** @param {bigint} ns */
export const nsToMs = (ns) => Number(ns) / 1e6;

/**
 * A spawned process whose stdout/stderr lines can be awaited.
 * @typedef {object} Proc
 * @property {import("node:child_process").ChildProcess} child
 * @property {number} pid
 * @property {bigint} startNs
 * @property {Promise<{code: number | null, signal: string | null, endNs: bigint}>} exited
 * @property {(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs?: number, signal?: AbortSignal) => Promise<RegExpMatchArray>} waitForLine
 * @property {() => string} stderrTail
 * @property {(signal?: NodeJS.Signals) => Promise<void>} stop
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ stdio?: import("node:child_process").StdioOptions, env?: Record<string, string> }} [options]
 * @returns {Proc}
 */
export function startProcess(command, args, options = {}) {
  const env = { ...process.env, NO_COLOR: "1", ...options.env };
  delete env.FORCE_COLOR;
  const startNs = nowNs();
  const child = spawn(command, args, {
    stdio: options.stdio ?? ["pipe", "pipe", "pipe"],
    env,
    cwd: repoRoot,
  });
  /** @type {{code: number | null, signal: string | null, endNs: bigint} | undefined} */
  let exitInfo;
  const exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      exitInfo = { code, signal, endNs: nowNs() };
      resolve(exitInfo);
      notify();
    });
    child.on("error", (error) => {
      exitInfo = { code: -1, signal: String(error.message), endNs: nowNs() };
      resolve(exitInfo);
      notify();
    });
  });

  /** @type {Record<"stdout" | "stderr", { lines: string[], cursor: number, partial: string }>} */
  const buffers = {
    stdout: { lines: [], cursor: 0, partial: "" },
    stderr: { lines: [], cursor: 0, partial: "" },
  };
  let stderrTail = "";
  /** @type {Set<() => void>} */
  const waiters = new Set();
  function notify() {
    for (const waiter of waiters) waiter();
  }
  for (const name of /** @type {const} */ (["stdout", "stderr"])) {
    const stream = child[name];
    if (!stream) continue;
    stream.setEncoding("utf8");
    stream.on("data", (/** @type {string} */ text) => {
      if (name === "stderr") stderrTail = (stderrTail + text).slice(-4000);
      const buffer = buffers[name];
      const parts = (buffer.partial + text).split("\n");
      buffer.partial = parts.pop() ?? "";
      // Keep memory bounded for chatty processes: only unread lines are kept.
      if (buffer.lines.length > 10_000) {
        buffer.lines = buffer.lines.slice(buffer.cursor);
        buffer.cursor = 0;
      }
      buffer.lines.push(...parts);
      notify();
    });
  }

  /** @type {Proc["waitForLine"]} */
  function waitForLine(streamName, pattern, timeoutMs = 30_000, signal = undefined) {
    return new Promise((resolve, reject) => {
      const buffer = buffers[streamName];
      // An abandoned wait must stop consuming lines meant for the next one.
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        waiters.delete(check);
        reject(new Error("aborted"));
      });
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${pattern} from ${command} ${args.join(" ")}; stderr: ${stderrTail.trim().slice(-500)}`,
          ),
        );
      }, timeoutMs);
      function check() {
        while (buffer.cursor < buffer.lines.length) {
          const line = buffer.lines[buffer.cursor++] ?? "";
          const match = line.match(pattern);
          if (match) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(match);
            return;
          }
        }
        if (exitInfo) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(
            new Error(
              `${command} ${args.slice(0, 3).join(" ")} exited (${exitInfo.code ?? exitInfo.signal}) before printing ${pattern}; stderr: ${stderrTail.trim().slice(-500)}`,
            ),
          );
        }
      }
      waiters.add(check);
      check();
    });
  }

  /** @type {Proc["stop"]} */
  async function stop(signal = "SIGTERM") {
    if (exitInfo) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  return {
    child,
    pid: child.pid ?? -1,
    startNs,
    exited,
    waitForLine,
    stderrTail: () => stderrTail,
    stop,
  };
}

/**
 * Reads a kB field (VmRSS, VmHWM) of /proc/<pid>/status; undefined once the process is gone.
 * @param {number} pid
 * @param {"VmRSS" | "VmHWM"} field
 * @returns {number | undefined} kilobytes
 */
export function procStatusKb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls a process's peak RSS (VmHWM, which the kernel keeps as a high-water mark) until stopped.
 * @param {number} pid
 * @param {number} [intervalMs]
 * @returns {{ peakKb: () => number }}
 */
export function watchPeakRss(pid, intervalMs = 20) {
  let peakKb = 0;
  const read = () => {
    const kb = procStatusKb(pid, "VmHWM");
    if (kb !== undefined && kb > peakKb) peakKb = kb;
    return kb;
  };
  const timer = setInterval(() => {
    if (read() === undefined) clearInterval(timer);
  }, intervalMs);
  timer.unref();
  return {
    peakKb: () => {
      read();
      clearInterval(timer);
      return peakKb;
    },
  };
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `node bin/sse-tool.js` command line, as a user runs it. */
export const sseTool = (/** @type {string[]} */ ...args) => [binPath, ...args];

/**
 * CPU time a process has used so far, all its threads, in nanoseconds (the kernel's schedstat:
 * on-CPU time at nanosecond resolution); undefined once the process is gone. Unlike wall time,
 * hardly moved by other work on a shared machine.
 * @param {number} pid
 * @returns {number | undefined}
 */
export function cpuNs(pid) {
  try {
    let total = 0;
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${thread}/schedstat`, "utf8");
      total += Number(stat.split(" ")[0]);
    }
    return total;
  } catch {
    return undefined;
  }
}
