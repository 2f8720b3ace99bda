/**
 * 7. `load`: many SSE clients from one process against `sse-tool serve`, side by side with
 * N clients of the `eventsource` package in one Node process (the peer: what a user writes
 * first) and bare TCP sockets counting bytes (the floor: what a connection costs at least).
 *
 * - Connections held and memory per connection at 1k, 5k, 10k, 15k idle clients (1 s
 *   heartbeats): the client process's RSS with N clients held minus its RSS with one, over N.
 *   sse-tool's 15k run then gets 100 events and must account every delivery (none missing).
 * - Events processed per second: 2,000 clients, then 1,000 events written to the server at
 *   once; deliveries over the time from the first event received to the last.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { benchDir, cpuNs, delay, procStatusKb, sseTool, startProcess } from "../lib/proc.js";
import { startClients, startServer } from "../lib/servers.js";
import { median, relativeSpread } from "../lib/stats.js";
import { fmt, fmtMb, fmtRatio } from "../lib/table.js";

/** @typedef {"sse-tool" | "eventsource" | "floor"} Contender */

/** @type {Record<Contender, string>} */
const names = {
  "sse-tool": "sse-tool load",
  eventsource: "eventsource package (peer)",
  floor: "raw sockets counting bytes (floor)",
};
/** @type {Contender[]} */
const contenders = ["floor", "eventsource", "sse-tool"];
const heartbeatMs = 1000;

/**
 * Starts N clients of one contender against `url`; resolves once all are connected.
 * @param {Contender} contender
 * @param {string} url
 * @param {number} clients
 * @param {number} [expect] events each client waits for (throughput runs)
 */
async function startContender(contender, url, clients, expect) {
  if (contender === "sse-tool") {
    const proc = startProcess(process.execPath, [
      ...sseTool("load", "--json", "-c", String(clients), "--duration", "600", url),
    ]);
    const connectedTimeout = 60_000 + clients * 10;
    await proc.waitForLine("stderr", /all [\d,]+ clients connected/, connectedTimeout);
    return { proc, connected: clients };
  }
  if (contender === "eventsource") {
    const proc = startProcess(process.execPath, [
      `${benchDir}clients/eventsource-many.js`,
      JSON.stringify({ url, clients, expect }),
    ]);
    const match = await proc.waitForLine("stdout", /"connected":(\d+)/, 120_000 + clients * 20);
    return { proc, connected: Number(match[1]) };
  }
  const proc = startClients({
    url,
    clients,
    mode: expect === undefined ? "idle" : "count",
    expect,
    transport: "net",
  });
  const match = await proc.waitForLine("stdout", /"connected":(\d+)/, 60_000 + clients * 10);
  return { proc, connected: Number(match[1]) };
}

/**
 * Stops `sse-tool load` with Ctrl-C and reads its report.
 * @param {import("../lib/proc.js").Proc} proc
 */
async function stopLoad(proc) {
  proc.child.kill("SIGINT");
  const line = await proc.waitForLine("stdout", /^\{.*\}$/, 30_000);
  await proc.exited;
  return JSON.parse(line[0]);
}

/**
 * Waits until a process has used (almost) no CPU for `quietMs`: it has read everything.
 * @param {number} pid
 * @param {number} quietMs
 * @param {number} timeoutMs
 */
async function waitForIdle(pid, quietMs = 600, timeoutMs = 120_000) {
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return Number(fields[11]) + Number(fields[12]);
  };
  const started = Date.now();
  let last = ticks();
  let quietSince = Date.now();
  while (Date.now() - started < timeoutMs) {
    await delay(100);
    const now = ticks();
    // One clock tick (10 ms) per 100 ms is heartbeat noise, not reading.
    if (now - last > 1) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= quietMs) return;
  }
}

/** An event line as the serve suites use: ~70 bytes of JSON. */
const eventLine = (/** @type {number} */ n) =>
  `{"seq":${n},"user":"user-${n % 100}","text":"the quick brown fox jumps over"}`;

/**
 * @param {import("../lib/table.js").SuiteOptions} options
 * @returns {Promise<import("../lib/table.js").Row[]>}
 */
export async function load({ quick, log, note }) {
  /** @type {import("../lib/table.js").Row[]} */
  const rows = [];
  rows.push(...(await memoryRows(quick ? [1000, 5000] : [1000, 5000, 10_000, 15_000], log)));
  rows.push(...(await throughputRows(quick, log)));
  note(
    `load: memory per connection = (client RSS with N idle clients - RSS with 1) / N, 1 s heartbeats from sse-tool serve; events/s = deliveries / (first to last event received), the floor ratio taken per round (contenders back to back). Load average at the end ${os.loadavg()[0]?.toFixed(1)}.`,
  );
  return rows;
}

/**
 * @param {number[]} sizes
 * @param {(line: string) => void} log
 */
async function memoryRows(sizes, log) {
  /** @type {import("../lib/table.js").Row[]} */
  const rows = [];
  /** @type {Map<Contender, number>} RSS (kB) with one client */
  const baselines = new Map();
  /** @type {Map<string, number>} KB per connection by contender and size */
  const perConnection = new Map();
  for (const size of [1, ...sizes]) {
    for (const contender of contenders) {
      const { proc: server, url } = await startServer("sse-tool", { heartbeatMs });
      let clients;
      try {
        clients = await startContender(contender, url, size);
        await delay(heartbeatMs * 3);
        const rssKb = procStatusKb(clients.proc.pid, "VmRSS") ?? 0;
        let held = clients.connected;
        let accounting = "";
        if (contender === "sse-tool") {
          if (size === sizes.at(-1)) {
            // The biggest run also carries events: every delivery must be accounted.
            const events = 100;
            server.child.stdin?.write(
              `${Array.from({ length: events }, (_, i) => eventLine(i + 1)).join("\n")}\n`,
            );
            await waitForIdle(clients.proc.pid);
            await delay(1500);
            // Clients that have decoded events hold a decoder each (heartbeats alone need none).
            const afterEventsKb = procStatusKb(clients.proc.pid, "VmRSS") ?? 0;
            const report = await stopLoad(clients.proc);
            held = report.connected;
            accounting = `; then ${fmt(events)} events: ${fmt(report.events)} of ${fmt(size * events)} delivered, ${fmt(report.missing)} missing, ${fmt(report.duplicates)} duplicates; skew p99 ${report.skew?.p99 ?? "n/a"} ms; generator CPU ${report.generator.cpuPercent}%; RSS after the events ${fmtMb(afterEventsKb)}`;
          } else {
            held = (await stopLoad(clients.proc)).connected;
          }
        }
        if (size === 1) {
          baselines.set(contender, rssKb);
          log(`  ${contender}: baseline ${fmtMb(rssKb)}`);
          continue;
        }
        const baseKb = baselines.get(contender) ?? 0;
        const kb = ((rssKb - baseKb) * 1024) / (size - 1) / 1000;
        perConnection.set(`${contender}:${size}`, kb);
        log(
          `  ${contender} ${fmt(size)}: held ${fmt(held)}, ${fmtMb(rssKb)} RSS, ${fmt(kb, 1)} KB/conn`,
        );
        const peerKb = perConnection.get(`eventsource:${size}`);
        const floorKb = perConnection.get(`floor:${size}`);
        const isTool = contender === "sse-tool";
        const isLargest = size === sizes.at(-1);
        const ratios = [];
        if (contender !== "eventsource" && peerKb !== undefined) {
          ratios.push(`${fmtRatio(kb / peerKb)} peer`);
        }
        if (isTool && floorKb !== undefined) ratios.push(`${fmtRatio(kb / floorKb)} floor`);
        rows.push({
          bench: `7 load memory per connection (${fmt(size)} idle clients)`,
          contender: names[contender],
          median: `${fmt(kb, 1)} KB`,
          ratio: ratios.join(", "),
          // The floor target is set where fixed costs no longer count: the largest run.
          target: isTool ? `<= 0.33x peer${isLargest ? ", <= 1.15x floor" : ""}` : undefined,
          met: isTool
            ? peerKb !== undefined &&
              kb / peerKb <= 1 / 3 &&
              (!isLargest || (floorKb !== undefined && kb / floorKb <= 1.15)) &&
              held === size
            : undefined,
          runs: `held ${fmt(held)}/${fmt(size)}; RSS ${fmtMb(baseKb)} -> ${fmtMb(rssKb)}${accounting}`,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`  ${contender} ${fmt(size)}: FAILED ${message}`);
        rows.push({
          bench: `7 load memory per connection (${fmt(size)} idle clients)`,
          contender: names[contender],
          median: `failed: ${message.slice(0, 160)}`,
          met: contender === "sse-tool" ? false : undefined,
        });
      } finally {
        await clients?.proc.stop("SIGKILL");
        await server.stop("SIGKILL");
      }
    }
  }
  return rows;
}

/**
 * @param {boolean} quick
 * @param {(line: string) => void} log
 */
async function throughputRows(quick, log) {
  const clientCount = quick ? 1000 : 2000;
  const eventCount = quick ? 500 : 1000;
  const rounds = quick ? 2 : 5;
  const input = `${Array.from({ length: eventCount }, (_, i) => eventLine(i + 1)).join("\n")}\n`;
  /** @type {Map<Contender, { rates: number[], cpuRates: number[], failure?: string, detail?: string }>} */
  const results = new Map(contenders.map((contender) => [contender, { rates: [], cpuRates: [] }]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const result = results.get(contender);
      if (!result || result.failure) continue;
      const { proc: server, url } = await startServer("sse-tool", { heartbeatMs: 0 });
      let clients;
      try {
        clients = await startContender(contender, url, clientCount, eventCount);
        await delay(500);
        const cpuBeforeNs = cpuNs(clients.proc.pid) ?? Number.NaN;
        server.child.stdin?.write(input);
        let rate;
        /** The client process's CPU time for every delivery: hardly moved by neighbours. */
        let cpuSeconds = Number.NaN;
        if (contender === "sse-tool") {
          await waitForIdle(clients.proc.pid);
          cpuSeconds = ((cpuNs(clients.proc.pid) ?? Number.NaN) - cpuBeforeNs) / 1e9;
          const report = await stopLoad(clients.proc);
          if (report.events !== clientCount * eventCount || report.missing !== 0) {
            throw new Error(`${report.events} events, ${report.missing} missing`);
          }
          rate = report.events / (report.eventWindowMs / 1000);
          result.detail = `generator CPU ${report.generator.cpuPercent}%, skew p99 ${report.skew?.p99} ms`;
        } else if (contender === "eventsource") {
          const done = await clients.proc.waitForLine("stdout", /"windowMs":([\d.]+)/, 120_000);
          cpuSeconds = ((cpuNs(clients.proc.pid) ?? Number.NaN) - cpuBeforeNs) / 1e9;
          rate = (clientCount * eventCount) / (Number(done[1]) / 1000);
        } else {
          const done = await clients.proc.waitForLine(
            "stdout",
            /"done":"(\d+)","first":"(\d+)"/,
            120_000,
          );
          cpuSeconds = ((cpuNs(clients.proc.pid) ?? Number.NaN) - cpuBeforeNs) / 1e9;
          rate =
            (clientCount * eventCount) /
            (Number(BigInt(done[1] ?? "0") - BigInt(done[2] ?? "0")) / 1e9);
        }
        result.rates.push(rate);
        result.cpuRates.push((clientCount * eventCount) / cpuSeconds);
        log(
          `  ${contender}: ${fmt(rate)} events/s, ${fmt(result.cpuRates.at(-1) ?? 0)} per CPU second (load ${os.loadavg()[0]?.toFixed(1)})`,
        );
      } catch (error) {
        result.failure = error instanceof Error ? error.message : String(error);
        log(`  ${contender}: FAILED ${result.failure}`);
      } finally {
        await clients?.proc.stop("SIGKILL");
        await server.stop("SIGKILL");
      }
    }
  }
  const peerRate = median(results.get("eventsource")?.rates ?? []);
  // Each round ran the contenders back to back: sse-tool / floor of the same round.
  const floorRates = results.get("floor")?.rates ?? [];
  const floorRatios = (results.get("sse-tool")?.rates ?? [])
    .slice(0, floorRates.length)
    .map((rate, round) => rate / (floorRates[round] ?? Number.NaN));
  const floorRatio = median(floorRatios);
  const floorCpuRates = results.get("floor")?.cpuRates ?? [];
  const floorCpuRatios = (results.get("sse-tool")?.cpuRates ?? [])
    .slice(0, floorCpuRates.length)
    .map((rate, round) => rate / (floorCpuRates[round] ?? Number.NaN));
  const peerCpuRate = median(results.get("eventsource")?.cpuRates ?? []);
  const bench = `7 load events/s (${fmt(clientCount)} clients x ${fmt(eventCount)} events)`;
  return contenders.flatMap((contender) => {
    const result = results.get(contender) ?? { rates: [] };
    const isTool = contender === "sse-tool";
    if (result.rates.length === 0) {
      return [
        {
          bench,
          contender: names[contender],
          median: `failed: ${(result.failure ?? "no run").slice(0, 160)}`,
          met: isTool ? false : undefined,
        },
      ];
    }
    const rate = median(result.rates);
    const cpuRate = median(result.cpuRates);
    const cpuRatio = contender === "eventsource" ? "" : `${fmtRatio(cpuRate / peerCpuRate)} peer`;
    const cpuRow = {
      bench,
      contender: `${names[contender]}: events per client CPU second`,
      median: `${fmt(cpuRate)} /s`,
      ratio: isTool ? `${cpuRatio}, ${fmtRatio(median(floorCpuRatios))} floor` : cpuRatio,
      target: isTool ? ">= 0.5x floor" : undefined,
      met: isTool ? median(floorCpuRatios) >= 0.5 : undefined,
      runs: `${result.cpuRates.map((value) => fmt(value / 1000)).join(", ")} k/s${isTool ? `; per-round ratios to the floor ${floorCpuRatios.map((r) => r.toFixed(2)).join(", ")} (spread ${fmt(relativeSpread(floorCpuRatios) * 100)} %)` : ""}`,
    };
    const ratio = contender === "eventsource" ? "" : `${fmtRatio(rate / peerRate)} peer`;
    const wallRow = {
      bench,
      contender: names[contender],
      median: `${fmt(rate)} events/s`,
      ratio: isTool ? `${ratio}, ${fmtRatio(floorRatio)} floor` : ratio,
      target: isTool ? ">= 2.0x peer, >= 0.5x floor" : undefined,
      met: isTool ? rate / peerRate >= 2 && floorRatio >= 0.5 : undefined,
      runs: `${result.rates.map((value) => fmt(value / 1000)).join(", ")} k/s${isTool ? `; per-round ratios to the floor ${floorRatios.map((r) => r.toFixed(2)).join(", ")} (spread ${fmt(relativeSpread(floorRatios) * 100)} %)` : ""}${result.detail ? `; ${result.detail}` : ""}`,
    };
    return [wallRow, cpuRow];
  });
}
