/**
 * The two system limits a `load` run meets first: open files (one per connection) and local
 * ports (one per connection to the same server from the same source address).
 *
 * Node raises its soft open-file limit to the hard limit itself when it starts (PlatformInit in
 * src/node.cc; `sh -c 'ulimit -Sn 256; node ...'` still gets the hard limit), so the limit in
 * effect is the hard one, which only root can raise. When it is too low, `load` says so before
 * starting, with the commands that help, and the clients past it fail as "files".
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface FileLimits {
  soft: number;
  hard: number;
}

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

/** The open-file limit in effect when `needed` descriptors are more than it allows. */
export function fileLimitShortfall(
  needed: number,
  limits: FileLimits | undefined,
): number | undefined {
  return limits !== undefined && needed > limits.soft ? limits.soft : undefined;
}

export function fileLimitWarning(clients: number, needed: number, limit: number): string {
  const usable = Math.max(0, limit - fileReserve);
  return [
    `warning: ${clients.toLocaleString("en-US")} clients need about ${needed.toLocaleString("en-US")} open files, but this process may open ${limit.toLocaleString("en-US")} (the hard limit, ulimit -Hn):`,
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
