/**
 * 5. `serve` capacity: C idle clients held with 1 s heartbeats; memory per client is the
 * server's RSS after they connected (and heartbeats went round) minus its RSS before, over C.
 * Server and clients run with the soft file limit raised to the hard limit.
 */
import { readFileSync } from "node:fs";
import { delay, procStatusKb } from "../lib/proc.js";
import { serverNames, startClients, startServer } from "../lib/servers.js";
import { fmt, fmtMb } from "../lib/table.js";

/**
 * better-sse is left out here to keep the whole run under 5 minutes (it measured ~20 KB per
 * client); the floor shows what node:http itself costs per connection.
 * @type {import("../lib/servers.js").ServerKind[]}
 */
const kinds = ["floor", "sse-tool"];
const heartbeatMs = 1000;

/** @param {number} pid */
function openFileLimit(pid) {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
    const match = limits.match(/^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m);
    return match ? `${match[1]} (hard ${match[2]})` : "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function serveCapacity({ quick, log, note }) {
  const clientCount = quick ? 4000 : 10_000;
  const bench = `5 serve capacity (${fmt(clientCount)} idle clients, ${heartbeatMs / 1000} s heartbeat)`;
  /** @type {import("../lib/table.js").Row[]} */
  const rows = [];
  let limitNoted = false;
  for (const kind of kinds) {
    const isTool = kind === "sse-tool";
    const { proc: server, url } = await startServer(kind, { heartbeatMs, raiseFileLimit: true });
    const clients = startClients(
      { url, clients: clientCount, mode: "idle" },
      { raiseFileLimit: true },
    );
    try {
      if (!limitNoted) {
        note(
          `capacity: open-file limit raised to the hard limit (sh: ulimit -n "$(ulimit -Hn)"); in effect: server ${openFileLimit(server.pid)}, clients ${openFileLimit(clients.pid)}`,
        );
        limitNoted = true;
      }
      await delay(500);
      const beforeKb = procStatusKb(server.pid, "VmRSS") ?? 0;
      const connected = await clients.waitForLine(
        "stdout",
        /"connected":(\d+),"failed":(\d+)/,
        90_000,
      );
      if (Number(connected[1]) !== clientCount) {
        throw new Error(
          `only ${connected[1]} of ${clientCount} connected (${connected[2]} failed)`,
        );
      }
      clients.child.stdin?.write("mark\n");
      await delay(heartbeatMs * 2.5);
      const afterKb = procStatusKb(server.pid, "VmRSS") ?? 0;
      clients.child.stdin?.write("report\n");
      const line = await clients.waitForLine("stdout", /^\{"report":true.*\}$/, 10_000);
      const report = JSON.parse(line[0]);
      const perClientKb = ((afterKb - beforeKb) * 1024) / clientCount / 1000;
      log(
        `  ${kind}: ${fmtMb(beforeKb)} -> ${fmtMb(afterKb)}, heartbeats reached ${report.heardFrom}`,
      );
      rows.push({
        bench,
        contender: `${serverNames[kind]}: RSS per client`,
        median: `${fmt(perClientKb, 1)} KB`,
        target: isTool ? "<= 10 KB" : undefined,
        met: isTool ? perClientKb <= 10 && report.heardFrom === clientCount : undefined,
        runs: `1 run: ${fmtMb(beforeKb)} -> ${fmtMb(afterKb)}; heartbeat reached ${fmt(report.heardFrom)} clients`,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  ${kind}: FAILED ${message}`);
      rows.push({
        bench,
        contender: serverNames[kind],
        median: `failed: ${message.slice(0, 160)}`,
        met: isTool ? false : undefined,
      });
    } finally {
      await clients.stop("SIGKILL");
      await server.stop("SIGKILL");
    }
  }
  return rows;
}
