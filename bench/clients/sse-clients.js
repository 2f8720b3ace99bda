/**
 * Many raw `node:http` SSE clients in one process, for the `serve` benchmarks.
 *
 *   node bench/clients/sse-clients.js '{"url":"...","clients":2000,"mode":"count","expect":1000}'
 *
 * Modes:
 *   count    each client counts events (lines starting "data:"); prints {"done":"<hrtime ns>"}
 *            when every client has `expect` of them.
 *   latency  each event's data starts with the hrtime (ns) at which it was written to the
 *            server's stdin; on a "report" line on stdin prints p50/p99/max in ms.
 *   idle     clients just hold the stream; "mark" on stdin starts counting which clients receive
 *            bytes (heartbeats), "report" prints how many did.
 * Prints {"connected":N} once every response has arrived. Connects at most `concurrency` at a
 * time so the server's listen backlog never overflows.
 */
import http from "node:http";
import { createInterface } from "node:readline";

/** @type {{ url: string, clients: number, mode: "count" | "latency" | "idle", expect?: number, concurrency?: number }} */
const config = JSON.parse(process.argv[2] ?? "{}");
const expect = config.expect ?? 0;
const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const print = (/** @type {object} */ message) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

let connected = 0;
let failed = 0;
let started = 0;
let completeClients = 0;
/** @type {number[]} */
const latenciesMs = [];
/** @type {Set<number>} clients that received bytes since "mark" */
const heardFrom = new Set();
let marking = false;
// "data:" with or without the optional space (better-sse writes none).
const marker = "\ndata:";

function connectNext() {
  if (started >= config.clients) return;
  const clientIndex = started++;
  let carry = "\n";
  let events = 0;
  const request = http.get(config.url, { agent }, (response) => {
    if (response.statusCode !== 200) {
      failed++;
      response.resume();
      afterConnect();
      return;
    }
    connected++;
    afterConnect();
    response.setEncoding("latin1");
    response.on("data", (/** @type {string} */ chunk) => {
      if (config.mode === "idle") {
        if (marking) heardFrom.add(clientIndex);
        return;
      }
      const text = carry + chunk;
      const arrivedNs = config.mode === "latency" ? process.hrtime.bigint() : 0n;
      let at = text.indexOf(marker);
      while (at !== -1) {
        if (config.mode === "latency") {
          let start = at + marker.length;
          if (text.charCodeAt(start) === 32) start++;
          let end = start;
          while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) {
            end++;
          }
          // A timestamp cut by the chunk end is completed by the next chunk (carry).
          if (end === text.length) break;
          latenciesMs.push(Number(arrivedNs - BigInt(text.slice(start, end))) / 1e6);
        }
        events++;
        at = text.indexOf(marker, at + marker.length);
      }
      carry = at === -1 ? text.slice(-(marker.length - 1)) : text.slice(at);
      if (config.mode === "count" && events === expect) {
        completeClients++;
        if (completeClients === config.clients) print({ done: String(process.hrtime.bigint()) });
      }
    });
    response.on("error", () => {});
  });
  request.on("error", (error) => {
    failed++;
    if (failed <= 3) print({ clientError: error.message });
    afterConnect();
  });
}

function afterConnect() {
  if (connected + failed === config.clients) print({ connected, failed });
  connectNext();
}

for (let i = 0; i < (config.concurrency ?? 100); i++) connectNext();

createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "mark") {
    heardFrom.clear();
    marking = true;
  } else if (line === "report") {
    const sorted = Float64Array.from(latenciesMs).sort();
    const at = (/** @type {number} */ p) =>
      sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
    print({
      report: true,
      samples: sorted.length,
      p50: at(50),
      p99: at(99),
      max: sorted[sorted.length - 1],
      heardFrom: heardFrom.size,
      connected,
    });
  }
});
