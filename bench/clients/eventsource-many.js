/**
 * The `load` peer: N clients of the `eventsource` package (a WHATWG EventSource for Node) in
 * one process, as a user would write a first load test. Each counts its events.
 *
 *   node bench/clients/eventsource-many.js '{"url":"...","clients":2000,"expect":1000}'
 *
 * Prints {"connected":N,"failed":F} once every client has opened (at most 256 opening at once,
 * as sse-tool load does), and with `expect` {"done":true,"events":...,"windowMs":...} once every
 * client has that many events: the window runs from the first event received to the last.
 */
import { EventSource } from "eventsource";

/** @type {{ url: string, clients: number, expect?: number }} */
const config = JSON.parse(process.argv[2] ?? "{}");
const print = (/** @type {object} */ message) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

let started = 0;
let opened = 0;
let failed = 0;
let events = 0;
let complete = 0;
let firstAt = 0;
let lastAt = 0;
const expect = config.expect ?? 0;

function openNext() {
  if (started >= config.clients) return;
  started++;
  let count = 0;
  let settled = false;
  const source = new EventSource(config.url);
  const settle = (/** @type {boolean} */ ok) => {
    if (settled) return;
    settled = true;
    if (ok) opened++;
    else failed++;
    if (opened + failed === config.clients) print({ connected: opened, failed });
    openNext();
  };
  source.onopen = () => settle(true);
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) settle(false);
  };
  source.onmessage = () => {
    const now = performance.now();
    if (events++ === 0) firstAt = now;
    lastAt = now;
    if (++count === expect) {
      complete++;
      if (complete === config.clients) {
        print({ done: true, events, windowMs: lastAt - firstAt });
      }
    }
  };
}

for (let i = 0; i < 256; i++) openNext();
