// sse-tool started on a Node.js older than engines.node. In a clone with the pinned runtime
// installed (the `node` dev dependency: node_modules/node/bin/node), run the same command on
// that; otherwise say so in one line and exit 1. Plain syntax: this runs on old Node.js.
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

const binary = process.platform === "win32" ? "node.exe" : "node";
const pinnedNode = fileURLToPath(new URL(`../node_modules/node/bin/${binary}`, import.meta.url));

/** Signals passed on to the child. */
const forwarded = ["SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT"];
/**
 * Ctrl-C and Ctrl-\ on a terminal reach every process of the foreground group, the child too;
 * forwarding them as well would make it see two (and a second Ctrl-C means "exit at once").
 */
const fromTerminal = new Set(["SIGINT", "SIGQUIT"]);

function sameFile(a, b) {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function explain(floor) {
  process.stderr.write(
    `sse-tool: needs Node.js ${floor.join(".")} or newer, this is ${process.version} ` +
      `(${process.execPath}); install a newer Node.js, or run \`npm install\` in a clone of ` +
      "sse-tool to get the Node.js it pins\n",
  );
  process.exitCode = 1;
}

export function rerunOrExplain(floor) {
  if (!existsSync(pinnedNode) || sameFile(pinnedNode, process.execPath)) return explain(floor);
  const child = spawn(pinnedNode, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
  });
  const onTerminal = [process.stdin, process.stdout, process.stderr].some((stream) => stream.isTTY);
  const handlers = new Map();
  for (const signal of forwarded) {
    const handler = () => {
      if (!(onTerminal && fromTerminal.has(signal))) child.kill(signal);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  child.on("error", (error) => {
    process.stderr.write(`sse-tool: could not start ${pinnedNode}: ${error.message}\n`);
    process.exitCode = 1;
  });
  child.on("exit", (code, signal) => {
    for (const [name, handler] of handlers) process.off(name, handler);
    // Die of the same signal, so the caller sees what the child saw (a shell's 128 + n).
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code;
  });
}
