/**
 * 3. `serve` fan-out: C clients connected, then E events written to the server's stdin at
 * once; time until every client has every event (deliveries/s = C x E / time), and the server's
 * peak RSS. Same clients and lines against better-sse (peer) and a minimal broadcaster (floor),
 * each writing the same bytes.
 *
 * One burst lasts a fraction of a second, so on a shared machine a single burst per server
 * measures the neighbours more than the server. So floor and sse-tool run at the same time,
 * each with its own client process, idle while the other works: after warm-up bursts (JIT,
 * socket buffers, the history ring filled) their bursts alternate (ABBA), and each adjacent
 * pair gives one ratio. The ratio reported is the median of those pairs, with their spread.
 * better-sse (tens of seconds per burst) runs one burst, for its memory.
 */
import os from "node:os";
import { cpuNs, delay, nowNs, nsToMs, watchPeakRss } from "../lib/proc.js";
import { serverNames, startClients, startServer } from "../lib/servers.js";
import { median, percentile, relativeSpread } from "../lib/stats.js";
import { fmt, fmtMb, fmtRatio } from "../lib/table.js";

const loadAverage = () => os.loadavg()[0]?.toFixed(1) ?? "?";

/** @typedef {import("../lib/servers.js").ServerKind} ServerKind */

/** @type {ServerKind[]} */
const kinds = ["floor", "better-sse", "sse-tool"];

/** @param {number} fraction */
const fmtPercent = (fraction) =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(0)} %` : "n/a";

/**
 * A server with its own client process, connected and waiting for bursts.
 * @param {ServerKind} kind
 * @param {number} clientCount
 * @param {number} eventCount
 * @param {string} input
 */
async function startContender(kind, clientCount, eventCount, input) {
  // No --ids: sse-tool then writes the very bytes the floor writes (ids would add ~10 %).
  const { proc: server, url } = await startServer(kind, { ids: false });
  const watch = watchPeakRss(server.pid, 50);
  const clients = startClients({ url, clients: clientCount, mode: "count", expect: eventCount });
  const stop = async () => {
    await clients.stop("SIGKILL");
    await server.stop("SIGKILL");
  };
  try {
    const connected = await clients.waitForLine("stdout", /"connected":(\d+)/, 60_000);
    if (Number(connected[1]) !== clientCount) throw new Error(`only ${connected[1]} connected`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    /**
     * One burst: deliveries per second until every client had every event, and deliveries per
     * second of the server's own CPU time (which other work on the machine hardly moves).
     */
    async burst() {
      const cpuBeforeNs = cpuNs(server.pid) ?? Number.NaN;
      const writtenNs = nowNs();
      server.child.stdin?.write(input);
      const done = await clients.waitForLine("stdout", /"done":"(\d+)"/, 120_000);
      const seconds = nsToMs(BigInt(done[1] ?? "0") - writtenNs) / 1000;
      // Let both processes settle (GC, the last socket writes) before the next burst.
      await delay(50);
      const cpuSeconds = ((cpuNs(server.pid) ?? Number.NaN) - cpuBeforeNs) / 1e9;
      const deliveries = clientCount * eventCount;
      return { rate: deliveries / seconds, cpuRate: deliveries / cpuSeconds };
    },
    peakKb: () => watch.peakKb(),
    stop,
  };
}

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function serveFanout({ quick, log, note }) {
  const clientCount = quick ? 1000 : 2000;
  const eventCount = quick ? 500 : 1000;
  const rounds = quick ? 2 : 3;
  const warmupBursts = 2;
  const pairsPerRound = quick ? 6 : 8;
  const lines = Array.from(
    { length: eventCount },
    (_, i) => `{"seq":${i + 1},"user":"user-${i % 100}","text":"the quick brown fox jumps over"}`,
  );
  const input = `${lines.join("\n")}\n`;
  /** @type {Map<ServerKind, { rates: number[], cpuRates: number[], peaksKb: number[], failure?: string }>} */
  const results = new Map(kinds.map((kind) => [kind, { rates: [], cpuRates: [], peaksKb: [] }]));
  /** sse-tool / floor, one per adjacent pair of bursts: wall-clock rates, and per CPU second. */
  /** @type {number[]} */
  const pairRatios = [];
  /** @type {number[]} */
  const cpuPairRatios = [];

  for (let round = 0; round < rounds; round++) {
    /** @type {Array<[ServerKind, Awaited<ReturnType<typeof startContender>>]>} */
    const running = [];
    try {
      for (const kind of /** @type {ServerKind[]} */ (["floor", "sse-tool"])) {
        running.push([kind, await startContender(kind, clientCount, eventCount, input)]);
      }
      for (let burst = 0; burst < warmupBursts; burst++) {
        for (const [, contender] of running) await contender.burst();
      }
      for (let pair = 0; pair < pairsPerRound; pair++) {
        // ABBA: neither contender always goes first after the other's burst.
        const order = pair % 2 === 0 ? running : [...running].reverse();
        /** @type {Map<ServerKind, { rate: number, cpuRate: number }>} */
        const rates = new Map();
        for (const [kind, contender] of order) rates.set(kind, await contender.burst());
        for (const [kind, { rate, cpuRate }] of rates) {
          results.get(kind)?.rates.push(rate);
          results.get(kind)?.cpuRates.push(cpuRate);
        }
        const tool = rates.get("sse-tool");
        const floor = rates.get("floor");
        pairRatios.push((tool?.rate ?? 0) / (floor?.rate ?? 1));
        cpuPairRatios.push((tool?.cpuRate ?? 0) / (floor?.cpuRate ?? 1));
      }
      for (const [kind, contender] of running) results.get(kind)?.peaksKb.push(contender.peakKb());
      log(
        `  round ${round + 1} (load ${loadAverage()}): ratios ${pairRatios
          .slice(-pairsPerRound)
          .map((r) => r.toFixed(2))
          .join(", ")}; per CPU second ${cpuPairRatios
          .slice(-pairsPerRound)
          .map((r) => r.toFixed(2))
          .join(", ")}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const kind of ["floor", "sse-tool"]) {
        const result = results.get(/** @type {ServerKind} */ (kind));
        if (result) result.failure = message;
      }
      log(`  round ${round + 1}: FAILED ${message}`);
    } finally {
      for (const [, contender] of running) await contender.stop();
    }
  }

  const peer = results.get("better-sse");
  if (peer) {
    try {
      const contender = await startContender("better-sse", clientCount, eventCount, input);
      try {
        const { rate, cpuRate } = await contender.burst();
        peer.rates.push(rate);
        peer.cpuRates.push(cpuRate);
        peer.peaksKb.push(contender.peakKb());
        log(`  better-sse: ${fmt(rate)} /s, peak ${fmtMb(peer.peaksKb[0] ?? 0)}`);
      } finally {
        await contender.stop();
      }
    } catch (error) {
      peer.failure = error instanceof Error ? error.message : String(error);
      log(`  better-sse: FAILED ${peer.failure}`);
    }
  }

  const ratio = median(pairRatios);
  const cpuRatio = median(cpuPairRatios);
  const floorRate = median(results.get("floor")?.rates ?? []);
  const floorCpuRate = median(results.get("floor")?.cpuRates ?? []);
  const peerPeakKb = median(peer?.peaksKb ?? []);
  const bench = `3 serve fan-out (${fmt(clientCount)} clients x ${fmt(eventCount)} events)`;
  /** @type {import("../lib/table.js").Row[]} */
  const rows = [];
  for (const kind of kinds) {
    const result = results.get(kind);
    if (!result) continue;
    const isTool = kind === "sse-tool";
    if (result.rates.length === 0) {
      rows.push({
        bench,
        contender: serverNames[kind],
        median: `failed: ${(result.failure ?? "no run").slice(0, 160)}`,
        met: isTool ? false : undefined,
      });
      continue;
    }
    const rate = median(result.rates);
    const peakKb = median(result.peaksKb);
    const failed = result.failure ? `; a round failed: ${result.failure.slice(0, 80)}` : "";
    rows.push({
      bench,
      contender: `${serverNames[kind]}: deliveries/s`,
      median: `${fmt(rate)} /s`,
      ratio: isTool
        ? `${fmtRatio(ratio)} floor`
        : kind === "floor"
          ? ""
          : `${fmtRatio(rate / floorRate)} floor`,
      target: isTool ? ">= 1.0x floor" : undefined,
      met: isTool ? ratio >= 1 : undefined,
      runs: isTool
        ? `${pairRatios.length} paired bursts: ratio p25 ${fmtRatio(percentile(pairRatios, 25))}, p75 ${fmtRatio(percentile(pairRatios, 75))}, spread ${fmtPercent(relativeSpread(pairRatios))}; bursts spread ${fmtPercent(relativeSpread(result.rates))}${failed}`
        : `${result.rates.length} bursts, spread ${fmtPercent(relativeSpread(result.rates))}${failed}`,
    });
    const cpuRate = median(result.cpuRates);
    rows.push({
      bench,
      contender: `${serverNames[kind]}: deliveries per server CPU second`,
      median: `${fmt(cpuRate)} /s`,
      ratio: isTool
        ? `${fmtRatio(cpuRatio)} floor`
        : kind === "floor"
          ? ""
          : `${fmtRatio(cpuRate / floorCpuRate)} floor`,
      target: isTool ? ">= 1.0x floor" : undefined,
      met: isTool ? cpuRatio >= 1 : undefined,
      runs: isTool
        ? `${cpuPairRatios.length} paired bursts: ratio p25 ${fmtRatio(percentile(cpuPairRatios, 25))}, p75 ${fmtRatio(percentile(cpuPairRatios, 75))}, spread ${fmtPercent(relativeSpread(cpuPairRatios))}`
        : `${result.cpuRates.length} bursts, spread ${fmtPercent(relativeSpread(result.cpuRates))}`,
    });
    rows.push({
      bench,
      contender: `${serverNames[kind]}: peak RSS`,
      median: fmtMb(peakKb),
      ratio: kind === "better-sse" ? "" : `${fmtRatio(peakKb / peerPeakKb)} better-sse`,
      target: isTool ? "<= 0.2x better-sse" : undefined,
      met: isTool ? peakKb / peerPeakKb <= 0.2 : undefined,
      runs: `${result.peaksKb.map((kb) => fmt(kb / 1024)).join(", ")} MB`,
    });
  }
  note(
    `serve fan-out: floor and sse-tool up side by side, ${warmupBursts} warm-up bursts each, then ${rounds} rounds x ${pairsPerRound} alternating (ABBA) pairs of bursts; ratio = median of the per-pair ratios; spread = (p75 - p25) / median; per server CPU second: the server's on-CPU time (schedstat, all threads) over the burst. Load average at the end ${loadAverage()}.`,
  );
  return rows;
}
