/**
 * `npm run bench`: runs every benchmark suite, then prints one table of medians and ratios and
 * writes it to bench/results/latest.md.
 *
 *   node bench/run.js [--quick] [--only=startup,listen-throughput,load,...]
 *
 * Every process is started here, on 127.0.0.1. Contenders alternate within each suite, so the
 * ratios (measured together) mean more than the absolute numbers on a noisy machine.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { benchDir, nowNs, nsToMs } from "./lib/proc.js";
import { formatTable } from "./lib/table.js";
import { listenMemory } from "./suites/listen-memory.js";
import { listenThroughput } from "./suites/listen-throughput.js";
import { load } from "./suites/load.js";
import { serveCapacity } from "./suites/serve-capacity.js";
import { serveFanout } from "./suites/serve-fanout.js";
import { serveLatency } from "./suites/serve-latency.js";
import { startup } from "./suites/startup.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg = args.find((arg) => arg.startsWith("--only="));
const only = onlyArg ? new Set(onlyArg.slice("--only=".length).split(",")) : undefined;

/** @type {Array<[string, typeof startup]>} */
const suites = [
  ["listen-throughput", listenThroughput],
  ["listen-memory", listenMemory],
  ["serve-fanout", serveFanout],
  ["serve-latency", serveLatency],
  ["serve-capacity", serveCapacity],
  ["load", load],
  ["startup", startup],
];

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
/** @type {import("./lib/table.js").Row[]} */
const rows = [];
/** @type {string[]} */
const notes = [];
const runStartNs = nowNs();
for (const [name, suite] of suites) {
  if (only && !only.has(name)) continue;
  log(`bench: ${name}${quick ? " (quick)" : ""}`);
  const suiteStartNs = nowNs();
  try {
    rows.push(...(await suite({ quick, log, note: (text) => notes.push(text) })));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`bench: ${name} failed: ${message}`);
    rows.push({ bench: name, contender: "(suite)", median: `failed: ${message.slice(0, 200)}` });
  }
  log(`bench: ${name} took ${(nsToMs(nowNs() - suiteStartNs) / 1000).toFixed(1)} s`);
}
const totalSeconds = nsToMs(nowNs() - runStartNs) / 1000;

const cpus = os.cpus();
const header = [
  `sse-tool benchmark, ${new Date().toISOString()}${quick ? " (--quick)" : ""}`,
  `node ${process.version}, ${os.platform()} ${os.release()}, ${cpus.length} x ${cpus[0]?.model ?? "cpu"}, total ${totalSeconds.toFixed(0)} s`,
];
const table = formatTable(rows);
const report = [
  ...header,
  "",
  table,
  "",
  ...notes.map((note) => `- ${note}`),
  "",
  "Medians of runs alternated in one session; ratios compare contenders measured together.",
].join("\n");
process.stdout.write(`\n${report}\n`);
mkdirSync(`${benchDir}results`, { recursive: true });
writeFileSync(`${benchDir}results/latest.md`, `${report}\n`);
log(`bench: written to bench/results/latest.md`);
