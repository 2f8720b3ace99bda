/**
 * 4. `serve` latency: C clients, one line written to the server's stdin every 20 ms (50
 * events/s); each line starts with the monotonic time it was written, each client computes the
 * arrival delay. p50/p99 over every (event, client) pair, median over rounds.
 */
import { delay, nowNs } from "../lib/proc.js";
import { serverNames, startClients, startServer } from "../lib/servers.js";
import { median } from "../lib/stats.js";
import { fmt } from "../lib/table.js";

/** @type {import("../lib/servers.js").ServerKind[]} */
const kinds = ["floor", "better-sse", "sse-tool"];
const intervalMs = 20;

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function serveLatency({ quick, log }) {
  const clientCount = 200;
  const durationMs = quick ? 2000 : 4000;
  const rounds = 2;
  const padding = "x".repeat(60);
  /** @type {Map<string, { p50: number[], p99: number[], max: number[], failure?: string }>} */
  const results = new Map(kinds.map((kind) => [kind, { p50: [], p99: [], max: [] }]));

  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      const result = results.get(kind);
      if (!result || result.failure) continue;
      const { proc: server, url } = await startServer(kind);
      const clients = startClients({
        url,
        clients: clientCount,
        mode: "latency",
        transport: "net",
      });
      try {
        await clients.waitForLine("stdout", /"connected":200/, 30_000);
        const stdin = server.child.stdin;
        // Paced by a timer, as a producer of live events would be; each line carries its own
        // write time, so timer jitter does not count against the server.
        const endAt = Date.now() + durationMs;
        let written = 0;
        while (Date.now() < endAt) {
          stdin?.write(`${nowNs()} ${padding}\n`);
          written++;
          await delay(intervalMs);
        }
        // Every client must get every event; ask until all arrived (or give up after ~5 s).
        const expected = clientCount * written;
        let report = { samples: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
        for (let attempt = 0; attempt < 25 && report.samples < expected; attempt++) {
          await delay(200);
          clients.child.stdin?.write("report\n");
          const line = await clients.waitForLine("stdout", /^\{"report":true.*\}$/, 10_000);
          report = JSON.parse(line[0]);
        }
        if (report.samples !== expected) {
          throw new Error(`${report.samples} of ${expected} arrivals`);
        }
        result.p50.push(report.p50);
        result.p99.push(report.p99);
        result.max.push(report.max);
        log(
          `  ${kind}: p50 ${report.p50.toFixed(2)} ms, p99 ${report.p99.toFixed(2)} ms, ${report.samples} arrivals`,
        );
      } catch (error) {
        result.failure = error instanceof Error ? error.message : String(error);
        log(`  ${kind}: FAILED ${result.failure}`);
      } finally {
        await clients.stop("SIGKILL");
        await server.stop("SIGKILL");
      }
    }
  }

  const bench = `4 serve latency (${clientCount} clients, ${1000 / intervalMs} events/s)`;
  return kinds.map((kind) => {
    const result = results.get(kind) ?? { p50: [], p99: [], max: [] };
    const isTool = kind === "sse-tool";
    if (result.failure && result.p99.length === 0) {
      return {
        bench,
        contender: serverNames[kind],
        median: `failed: ${result.failure.slice(0, 160)}`,
        met: isTool ? false : undefined,
      };
    }
    const p99 = median(result.p99);
    return {
      bench,
      contender: `${serverNames[kind]}: p50 / p99`,
      median: `${fmt(median(result.p50), 2)} / ${fmt(p99, 2)} ms`,
      target: isTool ? "p99 < 10 ms" : undefined,
      met: isTool ? p99 < 10 : undefined,
      runs: `p99 ${result.p99.map((v) => fmt(v, 2)).join(", ")}; max ${fmt(Math.max(...result.max), 1)} ms${result.failure ? `; a run failed: ${result.failure}` : ""}`,
    };
  });
}
