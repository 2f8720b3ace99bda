/**
 * 3. `serve` fan-out: C clients connected, then E events written to the server's stdin at
 * once; time until every client has every event (deliveries/s = C x E / time), and the server's
 * peak RSS. Same clients and lines against better-sse (peer) and a minimal broadcaster (floor).
 */
import { nowNs, nsToMs, watchPeakRss } from "../lib/proc.js";
import { serverNames, startClients, startServer } from "../lib/servers.js";
import { median } from "../lib/stats.js";
import { fmt, fmtMb, fmtRatio } from "../lib/table.js";

/** @type {import("../lib/servers.js").ServerKind[]} */
const kinds = ["floor", "better-sse", "sse-tool"];

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function serveFanout({ quick, log }) {
  const clientCount = quick ? 1000 : 2000;
  const eventCount = quick ? 500 : 1000;
  const rounds = quick ? 3 : 5;
  // better-sse needs ~30 s per full-size run here; one run keeps the whole bench under 5 min.
  const roundsOf = (/** @type {string} */ kind) => (kind === "better-sse" && !quick ? 1 : rounds);
  const lines = Array.from(
    { length: eventCount },
    (_, i) => `{"seq":${i + 1},"user":"user-${i % 100}","text":"the quick brown fox jumps over"}`,
  );
  const input = `${lines.join("\n")}\n`;
  /** @type {Map<string, { rates: number[], peaksKb: number[], failure?: string }>} */
  const results = new Map(kinds.map((kind) => [kind, { rates: [], peaksKb: [] }]));

  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      const result = results.get(kind);
      if (!result || result.failure || result.rates.length >= roundsOf(kind)) continue;
      const { proc: server, url } = await startServer(kind);
      const watch = watchPeakRss(server.pid, 50);
      const clients = startClients({
        url,
        clients: clientCount,
        mode: "count",
        expect: eventCount,
      });
      try {
        const connected = await clients.waitForLine("stdout", /"connected":(\d+)/, 60_000);
        if (Number(connected[1]) !== clientCount) throw new Error(`only ${connected[1]} connected`);
        const writtenNs = nowNs();
        server.child.stdin?.write(input);
        const done = await clients.waitForLine("stdout", /"done":"(\d+)"/, 60_000);
        const seconds = nsToMs(BigInt(done[1] ?? "0") - writtenNs) / 1000;
        result.rates.push((clientCount * eventCount) / seconds);
        result.peaksKb.push(watch.peakKb());
        log(`  ${kind}: ${fmt(seconds * 1000)} ms, peak ${fmtMb(result.peaksKb.at(-1) ?? 0)}`);
      } catch (error) {
        result.failure = error instanceof Error ? error.message : String(error);
        log(`  ${kind}: FAILED ${result.failure}`);
      } finally {
        await clients.stop("SIGKILL");
        await server.stop("SIGKILL");
      }
    }
  }

  const floorRate = median(results.get("floor")?.rates ?? []);
  const peerPeakKb = median(results.get("better-sse")?.peaksKb ?? []);
  const bench = `3 serve fan-out (${fmt(clientCount)} clients x ${fmt(eventCount)} events)`;
  /** @type {import("../lib/table.js").Row[]} */
  const rows = [];
  for (const kind of kinds) {
    const result = results.get(kind);
    if (!result) continue;
    const rate = median(result.rates);
    const peakKb = median(result.peaksKb);
    const isTool = kind === "sse-tool";
    if (result.failure && result.rates.length === 0) {
      rows.push({
        bench,
        contender: serverNames[kind],
        median: `failed: ${result.failure.slice(0, 160)}`,
        met: isTool ? false : undefined,
      });
      continue;
    }
    rows.push({
      bench,
      contender: `${serverNames[kind]}: deliveries/s`,
      median: `${fmt(rate)} /s`,
      ratio: kind === "floor" ? "" : `${fmtRatio(rate / floorRate)} floor`,
      target: isTool ? ">= 0.5x floor" : undefined,
      met: isTool ? rate / floorRate >= 0.5 : undefined,
      runs: `${result.rates.map((v) => fmt(v / 1e6, 2)).join(", ")} M/s${result.failure ? `; a run failed: ${result.failure.slice(0, 80)}` : ""}`,
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
  return rows;
}
