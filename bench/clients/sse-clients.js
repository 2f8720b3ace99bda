/**
 * Many raw `node:http` SSE clients in one process, for the `serve` benchmarks.
 *
 *   node bench/clients/sse-clients.js '{"url":"...","clients":2000,"mode":"count","expect":1000}'
 *
 * Modes:
 *   count    each client counts events (lines starting "data:"); prints {"done":"<hrtime ns>",
 *            "first":"<hrtime ns>"} when every client has `expect` of them (first: the first
 *            event received by any client), and again each time every client has `expect` more
 *            (a suite may write the same burst several times to one server).
 *   latency  each event's data starts with the hrtime (ns) at which it was written to the
 *            server's stdin; on a "report" line on stdin prints p50/p99/max in ms.
 *   idle     clients just hold the stream; "mark" on stdin starts counting which clients receive
 *            bytes (heartbeats), "report" prints how many did.
 * transport "net" uses bare TCP sockets instead of node:http (see connectRaw).
 * Prints {"connected":N} once every response has arrived. Connects at most `concurrency` at a
 * time so the server's listen backlog never overflows.
 */
import http from "node:http";
import net from "node:net";
import { createInterface } from "node:readline";

/** @type {{ url: string, clients: number, mode: "count" | "latency" | "idle", expect?: number, concurrency?: number, transport?: "http" | "net" }} */
const config = JSON.parse(process.argv[2] ?? "{}");
const expect = config.expect ?? 0;
const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const print = (/** @type {object} */ message) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

let connected = 0;
let failed = 0;
let started = 0;
let completeClients = 0;
/** hrtime (ns) of the first event any client received, in count mode. */
let firstEventNs = 0n;
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
  let goal = expect;
  /** Counts (and in latency mode times) the events in a piece of the body. */
  const onBody = (/** @type {string} */ chunk) => {
    if (config.mode === "idle") {
      if (marking) heardFrom.add(clientIndex);
      return;
    }
    const text = carry + chunk;
    const arrivedNs = config.mode === "latency" ? process.hrtime.bigint() : 0n;
    let at = text.indexOf(marker);
    if (at !== -1 && firstEventNs === 0n) firstEventNs = process.hrtime.bigint();
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
    if (config.mode === "count" && expect > 0 && events >= goal) {
      goal += expect;
      completeClients++;
      if (completeClients % config.clients === 0) {
        print({ done: String(process.hrtime.bigint()), first: String(firstEventNs) });
      }
    }
  };
  if (config.transport === "net") {
    connectRaw(onBody);
    return;
  }
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
    response.on("data", onBody);
    response.on("error", () => {});
  });
  request.on("error", (error) => {
    failed++;
    if (failed <= 3) print({ clientError: error.message });
    afterConnect();
  });
}

/**
 * A bare TCP client: writes the GET itself and scans the raw bytes. Chunked framing lines
 * ("\r\n4e\r\n") sit between whole events and end in "\n", so "\ndata:" still marks each
 * event. Less work per arrival than node:http, so the latency suite measures the server more
 * than this process.
 * @param {(chunk: string) => void} onBody
 */
function connectRaw(onBody) {
  const url = new URL(config.url);
  const socket = net.connect(Number(url.port), url.hostname);
  socket.setNoDelay(true);
  socket.setEncoding("latin1");
  /** @type {string | undefined} the response head until it is complete */
  let head = "";
  socket.on("connect", () => {
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`,
    );
  });
  socket.on("data", (/** @type {string} */ chunk) => {
    if (head === undefined) {
      onBody(chunk);
      return;
    }
    head += chunk;
    const end = head.indexOf("\r\n\r\n");
    if (end === -1) return;
    if (head.startsWith("HTTP/1.1 200")) connected++;
    else failed++;
    const rest = head.slice(end + 4);
    head = undefined;
    afterConnect();
    if (rest !== "") onBody(rest);
  });
  socket.on("error", (error) => {
    if (head === undefined) return;
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
