/** The options of `sse-tool serve` (declared in src/cli.ts), for all of its modes. */
import type { FaultOptions } from "./faults/fault-options.js";
import type { LlmFakeProvider, LlmFakeStall } from "./llm-fake/steps.js";

/** The fault options (--drop-after, ...) are named as startServer() names them. */
export interface ServeCliOptions extends FaultOptions {
  format: "auto" | "lines" | "ndjson" | "sse";
  strict?: boolean;
  event?: string;
  ids?: boolean;
  interval: number;
  timing: "none" | "original";
  loop?: boolean;
  /** --follow: read the file as it grows (`tail -f`). */
  follow?: boolean;
  /** --poll: with --follow, ms between looks at the end of the file. */
  poll: number;
  host: string;
  port: number;
  path: string;
  /** `--cors` origins added to the loopback ones (repeatable; `*` for any), false for --no-cors. */
  cors?: string[] | false;
  /** `--allowed-host` names accepted in the Host header besides loopback names and IPs. */
  allowedHost?: string[];
  history: number;
  /** --replay-history: every new client without Last-Event-ID gets the kept events first. */
  replayHistory?: boolean;
  maxClientBuffer: number;
  wait: boolean;
  /** Milliseconds between heartbeats; 0 is off. */
  heartbeat: number;
  retry?: number;
  exitOnEnd?: boolean;
  ui: boolean;
  publish: boolean;
  token?: string;
  /** --token-file: a file holding the token (kept out of `ps` and /proc/<pid>/cmdline). */
  tokenFile?: string;
  quiet?: boolean;
  /** Answer the provider's chat request with the input text as a streamed reply. */
  llmFake?: LlmFakeProvider;
  /** --llm-fake-ttft: ms before the first token. */
  llmFakeTtft?: number;
  /** --llm-fake-rate: tokens per second. */
  llmFakeRate?: number;
  /** --llm-fake-stall (repeatable): pauses at token positions. */
  llmFakeStall?: LlmFakeStall[];
  /** --script: with --llm-fake, the replies from this JSON file. */
  script?: string;
  /** --replay: a recording (`listen --record`) played to each client. */
  replay?: string;
  /** --speed: with --replay, how much faster than recorded, or "max". */
  speed?: number | "max";
}
