/**
 * Where `listen`'s time goes, part by part, in one process (no sockets): the bytes of the
 * throughput suite's 200,000 events of about 100 B, in 64 KiB chunks, through
 *   TextDecoder alone, eventsource-parser alone, EventStreamDecoder (bytes in, events out),
 *   and the decoder followed by the --json line or the pretty view.
 * The sources are bundled with esbuild on the fly, so this measures src/ as it is now.
 *
 *   node bench/decode-parts.js [events] [rounds]
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { createParser } from "eventsource-parser";

const eventCount = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 7);
const root = new URL("..", import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), "sse-decode-parts-"));
const entry = join(dir, "entry.ts");
writeFileSync(
  entry,
  [
    `export { EventStreamDecoder } from "${root}src/sse/decoder.ts";`,
    `export { formatJsonLine } from "${root}src/listen/output/json-lines.ts";`,
    `export { PrettyEventFormatter } from "${root}src/listen/output/pretty.ts";`,
    `export { Chalk } from "chalk";`,
  ].join("\n"),
);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: join(dir, "entry.js"),
  nodePaths: [join(root, "node_modules")],
});
const { EventStreamDecoder, formatJsonLine, PrettyEventFormatter, Chalk } = await import(
  pathToFileURL(join(dir, "entry.js")).href
);

// The same events as bench/servers/event-source-server.js.
const parts = [];
for (let seq = 1; seq <= eventCount; seq++) {
  const data = JSON.stringify({
    seq,
    user: `user-${seq % 100}`,
    text: "the quick brown fox jumps over",
  });
  parts.push(`event: tick\nid: ${seq}\ndata: ${data}\n\n`);
}
const body = Buffer.from(parts.join(""));
const chunkSize = 64 * 1024;
/** Each chunk a new Buffer, as from the network. */
const chunks = () => {
  const out = [];
  for (let at = 0; at < body.length; at += chunkSize)
    out.push(Buffer.from(body.subarray(at, at + chunkSize)));
  return out;
};

const contenders = {
  "TextDecoder alone": (input) => {
    const decoder = new TextDecoder();
    let length = 0;
    for (const chunk of input) length += decoder.decode(chunk, { stream: true }).length;
    return length;
  },
  "TextDecoder + eventsource-parser": (input) => {
    const decoder = new TextDecoder();
    let count = 0;
    const parser = createParser({ onEvent: () => count++ });
    for (const chunk of input) parser.feed(decoder.decode(chunk, { stream: true }));
    return count;
  },
  "EventStreamDecoder (bytes in, events out)": (input) => {
    let count = 0;
    const decoder = new EventStreamDecoder({ onEvent: () => count++ }, { maxEventSize: 1 << 20 });
    for (const chunk of input) decoder.feed(chunk);
    return count;
  },
  "decoder + --json lines": (input) => {
    let length = 0;
    let text = "";
    const time = new Date().toISOString();
    const decoder = new EventStreamDecoder(
      { onEvent: (event) => (text += formatJsonLine(event, time)) },
      { maxEventSize: 1 << 20 },
    );
    for (const chunk of input) {
      decoder.feed(chunk);
      length += Buffer.byteLength(text);
      text = "";
    }
    return length;
  },
  "decoder + pretty view": (input) => {
    let length = 0;
    let text = "";
    const pretty = new PrettyEventFormatter({ chalk: new Chalk({ level: 0 }), width: 100 });
    const decoder = new EventStreamDecoder(
      { onEvent: (event) => (text += pretty.formatEvent(event, "12:00:00.000")) },
      { maxEventSize: 1 << 20 },
    );
    for (const chunk of input) {
      decoder.feed(chunk);
      length += Buffer.byteLength(text);
      text = "";
    }
    return length;
  },
};

const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of Object.entries(contenders)) {
    const input = chunks();
    const start = process.hrtime.bigint();
    run(input);
    times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
process.stdout.write(
  `${eventCount} events, ${(body.length / 1e6).toFixed(1)} MB, median of ${rounds}\n`,
);
for (const [name, values] of Object.entries(times)) {
  const ms = median(values);
  process.stdout.write(
    `${name.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  ${((ms * 1000) / eventCount).toFixed(3)} µs/event\n`,
  );
}
