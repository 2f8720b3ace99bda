/**
 * The `listen` throughput peer: the `eventsource` package (a WHATWG EventSource for Node) that
 * only counts events and exits after the expected number.
 *
 *   node bench/clients/eventsource-counter.js URL EXPECTED_EVENTS
 */
import { EventSource } from "eventsource";

const [url, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
let count = 0;
const source = new EventSource(String(url));
const onEvent = () => {
  count++;
  if (count === expected) {
    source.close();
    process.exit(0);
  }
};
source.addEventListener("tick", onEvent);
source.addEventListener("message", onEvent);
source.addEventListener("bulk", onEvent);
source.addEventListener("error", () => {
  process.stderr.write(`eventsource-counter: error after ${count} events\n`);
  source.close();
  process.exit(1);
});
