/** The options of `sse-tool serve` (declared in src/cli.ts), for both of its modes. */
import type { LlmFakeProvider, LlmFakeStall } from "./llm-fake/steps.js";

export interface ServeCliOptions {
  format: "auto" | "lines" | "ndjson" | "sse";
  strict?: boolean;
  event?: string;
  ids?: boolean;
  interval: number;
  timing: "none" | "original";
  loop?: boolean;
  host: string;
  port: number;
  path: string;
  /** The allowed origin, or false for --no-cors. */
  cors: string | false;
  history: number;
  maxClientBuffer: number;
  wait: boolean;
  /** Milliseconds between heartbeats; 0 is off. */
  heartbeat: number;
  retry?: number;
  exitOnEnd?: boolean;
  ui: boolean;
  publish: boolean;
  token?: string;
  quiet?: boolean;
  /** Answer the provider's chat request with the input text as a streamed reply. */
  llmFake?: LlmFakeProvider;
  /** --llm-fake-ttft: ms before the first token. */
  llmFakeTtft?: number;
  /** --llm-fake-rate: tokens per second. */
  llmFakeRate?: number;
  /** --llm-fake-stall (repeatable): pauses at token positions. */
  llmFakeStall?: LlmFakeStall[];
}
