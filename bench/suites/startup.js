/**
 * 6. Start-up: `sse-tool --version` and `sse-tool listen --help` against `node -e 0`, spawned
 * in alternation; wall time from spawn to exit.
 */
import { openSync } from "node:fs";
import { nsToMs, sseTool, startProcess } from "../lib/proc.js";
import { median } from "../lib/stats.js";
import { fmt, fmtRatio } from "../lib/table.js";

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function startup({ quick }) {
  const rounds = quick ? 10 : 25;
  const node = process.execPath;
  const contenders = [
    { name: "node -e 0 (floor)", args: ["-e", "0"] },
    { name: "sse-tool --version", args: sseTool("--version"), target: 1.2 },
    { name: "sse-tool listen --help", args: sseTool("listen", "--help"), target: 1.3 },
    { name: "sse-tool serve --help", args: sseTool("serve", "--help") },
  ];
  const devNull = openSync("/dev/null", "w");
  /** @type {number[][]} */
  const samples = contenders.map(() => []);
  // Two unmeasured rounds warm the page cache.
  for (let round = -2; round < rounds; round++) {
    for (const [index, contender] of contenders.entries()) {
      const proc = startProcess(node, contender.args, { stdio: ["ignore", devNull, devNull] });
      const { code, endNs } = await proc.exited;
      if (code !== 0) throw new Error(`${contender.name} exited ${code}`);
      if (round >= 0) samples[index]?.push(nsToMs(endNs - proc.startNs));
    }
  }
  const floorMs = median(samples[0] ?? []);
  return contenders.map((contender, index) => {
    const values = samples[index] ?? [];
    const ratio = median(values) / floorMs;
    return {
      bench: `6 start-up (${rounds} runs each)`,
      contender: contender.name,
      median: `${fmt(median(values), 1)} ms`,
      ratio: index === 0 ? "" : `${fmtRatio(ratio)} node -e 0`,
      target: contender.target ? `<= ${contender.target}x node -e 0` : undefined,
      met: contender.target ? ratio <= contender.target : undefined,
      runs: `min ${fmt(Math.min(...values), 1)} / max ${fmt(Math.max(...values), 1)} ms`,
    };
  });
}
