/**
 * 1. `listen` throughput: one local source writes N events of about 100 bytes as fast as the
 * socket takes them; each contender reads the whole stream, output to /dev/null. Timed from the
 * request's arrival at the source to the contender's exit, so process start-up is not counted.
 */
import { openSync } from "node:fs";
import { benchDir, nsToMs, sseTool, startProcess } from "../lib/proc.js";
import { median } from "../lib/stats.js";
import { fmt, fmtRatio } from "../lib/table.js";

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function listenThroughput({ quick, log }) {
  const eventCount = quick ? 50_000 : 200_000;
  const rounds = quick ? 3 : 5;
  const bench = `1 listen throughput (${fmt(eventCount)} events)`;
  const source = startProcess(process.execPath, [
    `${benchDir}servers/event-source-server.js`,
    String(eventCount),
  ]);
  const port = Number((await source.waitForLine("stdout", /"port":(\d+)/))[1]);
  const url = `http://127.0.0.1:${port}/events?n=${eventCount}`;
  const node = process.execPath;
  const n = String(eventCount);

  /** @type {{ name: string, role?: "floor" | "peer", command: string, args: string[], target?: number }[]} */
  const contenders = [
    { name: "curl -sN (floor: bytes only)", role: "floor", command: "curl", args: ["-sN", url] },
    {
      name: "eventsource package, counting (peer)",
      role: "peer",
      command: node,
      args: [`${benchDir}clients/eventsource-counter.js`, url, n],
    },
    {
      name: "sse-tool listen --json",
      command: node,
      args: sseTool("listen", "--json", "--no-reconnect", "-n", n, url),
      target: 2.0,
    },
    {
      name: "sse-tool listen (pretty)",
      command: node,
      args: sseTool("listen", "--no-reconnect", "-n", n, url),
      target: 1.0,
    },
    {
      name: "sse-tool listen --raw",
      command: node,
      args: sseTool("listen", "--raw", "--no-reconnect", url),
    },
  ];

  /** @type {Map<string, number[]>} events per second, per contender */
  const samples = new Map(contenders.map((c) => [c.name, []]));
  /** @type {Map<string, string>} */
  const failures = new Map();
  const devNull = openSync("/dev/null", "w");
  for (let round = 0; round < rounds; round++) {
    // Alternate the order each round so drift on a noisy machine hits every contender.
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      if (failures.has(contender.name)) continue;
      const proc = startProcess(contender.command, contender.args, {
        stdio: ["ignore", devNull, "pipe"],
      });
      try {
        // A contender that exits before its request reaches the source has failed.
        const abandon = new AbortController();
        const request = await Promise.race([
          source.waitForLine("stdout", /"request":"(\d+)"/, 20_000, abandon.signal),
          proc.exited.then(({ code, signal }) => {
            setImmediate(() => abandon.abort());
            throw new Error(`exit ${code ?? signal}: ${proc.stderrTail().trim().slice(-300)}`);
          }),
        ]);
        const requestNs = BigInt(request[1] ?? "0");
        const timeout = setTimeout(() => proc.child.kill("SIGKILL"), 60_000);
        const { code, signal, endNs } = await proc.exited;
        clearTimeout(timeout);
        if (code !== 0) {
          throw new Error(`exit ${code ?? signal}: ${proc.stderrTail().trim().slice(-300)}`);
        }
        const seconds = nsToMs(endNs - requestNs) / 1000;
        samples.get(contender.name)?.push(eventCount / seconds);
      } catch (error) {
        failures.set(contender.name, error instanceof Error ? error.message : String(error));
        log(`  ${contender.name}: FAILED ${failures.get(contender.name)}`);
        await proc.stop("SIGKILL");
      }
    }
    log(`  round ${round + 1}/${rounds} done`);
  }
  await source.stop();

  const peerMedian = median(samples.get(contenders[1]?.name ?? "") ?? []);
  return contenders.map((contender) => {
    const values = samples.get(contender.name) ?? [];
    const failure = failures.get(contender.name);
    const value = median(values);
    const ratio = value / peerMedian;
    return {
      bench,
      contender: contender.name,
      median: failure ? `failed: ${failure.slice(0, 120)}` : `${fmt(value)} events/s`,
      ratio: contender.role === "peer" || failure ? "" : `${fmtRatio(ratio)} peer`,
      target:
        contender.target === undefined ? undefined : `>= ${contender.target.toFixed(1)}x peer`,
      met: contender.target === undefined ? undefined : !failure && ratio >= contender.target,
      runs: values.map((v) => fmt(v / 1000)).join(", ") + (values.length ? " k/s" : ""),
    };
  });
}
