/**
 * 2. `listen` memory: peak RSS of `sse-tool listen --json` (to /dev/null) reading a short and a
 * long stream of ~1 KiB events; the peak must stay under 100 MB and not grow with length.
 */
import { openSync } from "node:fs";
import { benchDir, sseTool, startProcess, watchPeakRss } from "../lib/proc.js";
import { fmt, fmtMb } from "../lib/table.js";

const MiB = 1024 * 1024;
const limitKb = 100 * 1000;

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function listenMemory({ quick, log }) {
  const lengths = quick ? [64 * MiB, 256 * MiB] : [256 * MiB, 1024 * MiB];
  const source = startProcess(process.execPath, [`${benchDir}servers/event-source-server.js`]);
  const port = Number((await source.waitForLine("stdout", /"port":(\d+)/))[1]);
  const devNull = openSync("/dev/null", "w");
  /** @type {import("../lib/table.js").Row[]} */
  const rows = [];
  /** @type {number[]} */
  const peaks = [];
  for (const bytes of lengths) {
    const label = bytes >= 1024 * MiB ? `${bytes / 1024 / MiB} GiB` : `${bytes / MiB} MiB`;
    const url = `http://127.0.0.1:${port}/bulk?bytes=${bytes}`;
    const proc = startProcess(
      process.execPath,
      sseTool("listen", "--json", "--no-reconnect", url),
      { stdio: ["ignore", devNull, "pipe"] },
    );
    const watch = watchPeakRss(proc.pid);
    const timeout = setTimeout(() => proc.child.kill("SIGKILL"), 150_000);
    const { code, signal, endNs } = await proc.exited;
    clearTimeout(timeout);
    const peakKb = watch.peakKb();
    const seconds = Number(endNs - proc.startNs) / 1e9;
    log(`  ${label}: exit ${code ?? signal}, peak ${fmtMb(peakKb)}, ${seconds.toFixed(1)} s`);
    if (code !== 0) {
      rows.push({
        bench: "2 listen memory (--json, ~1 KiB events)",
        contender: `sse-tool listen, ${label} stream`,
        median: `failed: exit ${code ?? signal}: ${proc.stderrTail().trim().slice(-200)}`,
        target: "< 100 MB",
        met: false,
      });
      continue;
    }
    peaks.push(peakKb);
    rows.push({
      bench: "2 listen memory (--json, ~1 KiB events)",
      contender: `sse-tool listen, ${label} stream`,
      median: `${fmtMb(peakKb)} peak RSS`,
      ratio: peaks.length > 1 ? `${fmt(peakKb / (peaks[0] ?? 1), 2)}x the shorter` : "",
      target: peaks.length > 1 ? "< 100 MB, ~1.0x the shorter" : "< 100 MB",
      // "Does not grow": within 10% (or 5 MB) of the shorter stream's peak.
      met:
        peakKb < limitKb &&
        (peaks.length < 2 || peakKb <= Math.max((peaks[0] ?? 0) * 1.1, (peaks[0] ?? 0) + 5000)),
      runs: `1 run, ${(bytes / MiB / seconds).toFixed(0)} MiB/s`,
    });
  }
  await source.stop();
  return rows;
}
