/**
 * `sse-tool demo`: serves the built-in sample stream on a free loopback port and runs `listen`
 * against it in the same process, so a new user sees the output at once; then prints what to
 * try next on stderr.
 *
 * A composition at the top, like src/main.ts, not a capability: it shows two capabilities
 * working together (serve's hub and server, listen), so it imports both, and nothing imports
 * it. Capability folders themselves never import each other (design/LAYOUT.md).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { listenDefaults } from "../listen/cli.js";
import { listen } from "../listen/command.js";
import { BroadcastHub } from "../serve/feeds/hub.js";
import { SseServer } from "../serve/http/sse-server.js";
import type { DemoCliOptions } from "./cli.js";
import { demoEventCount, demoSteps } from "./sample-stream.js";

/** If `listen` has not stopped this long after the last event, the stream is closed anyway. */
const listenGraceMs = 3_000;

export async function demo(options: DemoCliOptions): Promise<number> {
  const say = (message: string) => process.stderr.write(`${message}\n`);
  const hub = new BroadcastHub({ historySize: demoSteps.length, maxClientBufferBytes: 1024 ** 2 });
  const server = new SseServer({
    hub,
    host: "127.0.0.1",
    port: 0,
    streamPath: "/events",
    heartbeatMs: 0,
    log: () => {},
    warn: (message) => say(`sse-tool: ${message}`),
  });
  const url = await server.listen();
  say(`sse-tool demo: serving a sample stream at ${url} and listening to it:`);
  say(`  sse-tool listen --comments ${url}\n`);
  const listening = listen(url, {
    ...listenDefaults,
    color: options.color,
    comments: true,
    maxEvents: demoEventCount,
    reconnect: false,
  });
  let listenDone = false;
  const markDone = () => {
    listenDone = true;
  };
  // Its failure is reported by `await listening` below; this only notes that it stopped.
  listening.then(markDone, markDone);
  try {
    await Promise.race([server.firstClient, listening]);
    for (const step of demoSteps) {
      if (listenDone) break;
      await sleep(step.delayMs);
      hub.publish([step.event]);
    }
    // Unreferenced: a grace timer that lost its race must not keep the process alive.
    await Promise.race([listening, sleep(listenGraceMs, undefined, { ref: false })]);
  } finally {
    await server.close(1_000);
  }
  const code = await listening;
  if (code === 0) say(nextSteps);
  return code;
}

const nextSteps = `
Try next:
  seq 1 100 | sse-tool serve --interval 500      serve lines as events, then open
                                                 http://127.0.0.1:8080/ in a browser
  sse-tool serve --ids examples/events.ndjson    one JSON object per line: event, data, id
  sse-tool listen http://127.0.0.1:8080/events   watch any stream (--json for scripts)
  sse-tool listen --json URL | sse-tool serve    relay a remote stream to your browser
  sse-tool --help                                everything else`;
