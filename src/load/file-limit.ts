/**
 * The two system limits a `load` run meets first: open files (one per connection) and local
 * ports (one per connection to the same server from the same source address).
 *
 * Node cannot raise its own open-file limit (there is no setrlimit), so when the soft limit is
 * too low and the hard limit allows more, `load` runs itself again through `sh -c 'ulimit -Sn
 * <hard> && exec ...'`, as a user would by hand; otherwise it warns before starting, with the
 * commands that help.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface FileLimits {
  soft: number;
  hard: number;
}

/** Set in the re-run process, so it never tries again. */
export const fileLimitRaisedVariable = "SSE_TOOL_LOAD_FILE_LIMIT_RAISED";

/** Descriptors a run needs besides its connections: stdio, libuv, DNS, the event loop. */
export const fileReserve = 64;

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text === "unlimited") return Number.POSITIVE_INFINITY;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The process's open-file limits, or undefined where they cannot be read. */
export function readFileLimits(): FileLimits | undefined {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
    const soft = parseLimit(match?.[1]);
    const hard = parseLimit(match?.[2]);
    if (soft !== undefined && hard !== undefined) return { soft, hard };
  } catch {
    // Not Linux: ask the shell, which inherited the same limits.
  }
  if (process.platform === "win32") return undefined;
  try {
    const output = execFileSync("/bin/sh", ["-c", "ulimit -Sn; ulimit -Hn"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5000,
    });
    const [soft, hard] = output.trim().split(/\s+/).map(parseLimit);
    if (soft !== undefined && hard !== undefined) return { soft, hard };
  } catch {
    // No shell: nothing known.
  }
  return undefined;
}

/** How many local ports one source address has (net.ipv4.ip_local_port_range), if known. */
export function readLocalPortRange(): { low: number; high: number } | undefined {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low !== undefined && high !== undefined && high >= low) return { low, high };
  } catch {
    // Not Linux.
  }
  return undefined;
}

export type FileLimitPlan =
  | { kind: "enough" }
  /** Re-run with the soft limit raised to `to` (the hard limit). */
  | { kind: "raise"; to: number }
  /** Even the hard limit is too low: warn (fileLimitWarning) and go on. */
  | { kind: "too-low"; limit: number };

/** What to do for `needed` descriptors under `limits`. Pure. */
export function planFileLimit(
  needed: number,
  limits: FileLimits | undefined,
  alreadyRaised: boolean,
): FileLimitPlan {
  if (limits === undefined || needed <= limits.soft) return { kind: "enough" };
  if (!alreadyRaised && limits.hard > limits.soft && process.platform !== "win32") {
    return { kind: "raise", to: Number.isFinite(limits.hard) ? limits.hard : needed };
  }
  return { kind: "too-low", limit: limits.soft };
}

export function fileLimitWarning(clients: number, needed: number, limit: number): string {
  const usable = Math.max(0, limit - fileReserve);
  return [
    `warning: ${clients.toLocaleString("en-US")} clients need about ${needed.toLocaleString("en-US")} open files, but this process may open ${limit.toLocaleString("en-US")} (its hard limit):`,
    `  clients past about ${usable.toLocaleString("en-US")} will fail with "too many open files".`,
    "  Raise the hard limit (as root: ulimit -Hn 65536; systemd: LimitNOFILE=65536; docker run --ulimit nofile=65536:65536),",
    "  or run the clients in several processes or machines and combine their --json reports with --merge.",
  ].join("\n");
}

export function portRangeWarning(
  clients: number,
  sourceAddresses: number,
  range: { low: number; high: number },
): string | undefined {
  const ports = range.high - range.low + 1;
  const perAddress = Math.ceil(clients / Math.max(1, sourceAddresses));
  if (perAddress <= ports) return undefined;
  const addressesNeeded = Math.ceil(clients / ports);
  const example = Array.from({ length: addressesNeeded }, (_, index) => `127.0.0.${index + 1}`);
  return [
    `warning: ${perAddress.toLocaleString("en-US")} connections from one source address to one server exceed its ${ports.toLocaleString("en-US")} local ports (net.ipv4.ip_local_port_range ${range.low}-${range.high}):`,
    `  connect from ${addressesNeeded} or more addresses, e.g. --source-address ${example.join(",")} (any 127.x.y.z works for a server on loopback),`,
    "  or widen the range (sysctl net.ipv4.ip_local_port_range).",
  ].join("\n");
}

/**
 * Runs this very command again with the soft open-file limit raised, stdio shared, and
 * resolves with its exit code. Ctrl-C reaches the child from the terminal directly; SIGTERM
 * and SIGHUP sent to this process are passed on.
 */
export function rerunWithFileLimit(limit: number): Promise<number> {
  const child = spawn(
    "/bin/sh",
    [
      "-c",
      'ulimit -Sn "$0" && exec "$@"',
      String(limit),
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: "inherit", env: { ...process.env, [fileLimitRaisedVariable]: "1" } },
  );
  const ignoreInterrupt = () => {};
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", ignoreInterrupt);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  return new Promise((resolve) => {
    child.on("error", () => resolve(1));
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignoreInterrupt);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
      resolve(code ?? (signal === "SIGINT" ? 130 : 1));
    });
  });
}
