/**
 * The local event source for the `listen` benchmarks: writes events as fast as the socket takes
 * them (respecting `drain`), then ends the response.
 *
 *   GET /events?n=200000            n events of about 100 bytes (event:, id:, JSON data:)
 *   GET /bulk?bytes=1073741824      about that many bytes of ~1 KiB events, a block repeated
 *
 * Prints `{"port":N}` when listening and `{"request":"<hrtime ns>"}` as each request arrives.
 */
import http from "node:http";

const sliceBytes = 64 * 1024;

/** @param {number} seq */
function smallEvent(seq) {
  const data = JSON.stringify({
    seq,
    user: `user-${seq % 100}`,
    text: "the quick brown fox jumps over",
  });
  return `event: tick\nid: ${seq}\ndata: ${data}\n\n`;
}

/** @type {Map<number, Buffer>} */
const bodies = new Map();
/** @param {number} count */
function eventsBody(count) {
  let body = bodies.get(count);
  if (!body) {
    const parts = [];
    for (let seq = 1; seq <= count; seq++) parts.push(smallEvent(seq));
    body = Buffer.from(parts.join(""));
    bodies.set(count, body);
  }
  return body;
}

/** About 1 MiB of ~1 KiB events, whole events only. */
const bulkBlock = (() => {
  const parts = [];
  let size = 0;
  for (let seq = 1; size < 1024 * 1024 - 1100; seq++) {
    const data = JSON.stringify({ seq, text: "x".repeat(960) });
    const event = `event: bulk\nid: ${seq}\ndata: ${data}\n\n`;
    parts.push(event);
    size += event.length;
  }
  return Buffer.from(parts.join(""));
})();

/**
 * Writes `total` bytes produced by `sliceAt(offset)` as fast as the socket drains.
 * @param {http.ServerResponse} res
 * @param {number} total
 * @param {(offset: number) => Buffer} sliceAt
 */
function pump(res, total, sliceAt) {
  let offset = 0;
  const writeMore = () => {
    while (offset < total) {
      const slice = sliceAt(offset);
      offset += slice.length;
      if (!res.write(slice)) {
        res.once("drain", writeMore);
        return;
      }
    }
    res.end();
  };
  res.on("close", () => {
    offset = total + 1;
  });
  writeMore();
}

const server = http.createServer((req, res) => {
  const requestNs = process.hrtime.bigint();
  process.stdout.write(`${JSON.stringify({ request: String(requestNs), url: req.url })}\n`);
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  if (url.pathname === "/events") {
    const body = eventsBody(Number(url.searchParams.get("n") ?? "1000"));
    pump(res, body.length, (offset) => body.subarray(offset, offset + sliceBytes));
  } else if (url.pathname === "/bulk") {
    const total = Number(url.searchParams.get("bytes") ?? String(bulkBlock.length));
    const blocks = Math.max(1, Math.round(total / bulkBlock.length));
    pump(res, blocks * bulkBlock.length, () => bulkBlock);
  } else {
    res.statusCode = 404;
    res.end();
  }
});

const warm = process.argv[2];
if (warm) eventsBody(Number(warm));
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port, bulkBlockBytes: bulkBlock.length })}\n`);
});
