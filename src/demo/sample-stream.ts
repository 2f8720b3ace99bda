/**
 * The sample stream `sse-tool demo` serves: one of each thing a stream can carry (named events,
 * JSON and multi-line data, ids, a comment, a `retry`), paced so a newcomer can watch it arrive.
 */
import type { OutgoingEvent } from "../sse/encoder.js";

export interface DemoStep {
  /** Pause before this event, in milliseconds. */
  delayMs: number;
  event: OutgoingEvent;
}

export const demoSteps: readonly DemoStep[] = [
  {
    delayMs: 300,
    event: {
      comment: "welcome to the sse-tool demo, served by sse-tool serve",
      retry: 2000,
      id: "1",
      event: "greeting",
      data: "Hello! Each block is one Server-Sent Event, shown as it arrives.",
    },
  },
  { delayMs: 350, event: { id: "2", event: "user.login", data: '{"user":"ada","plan":"pro"}' } },
  { delayMs: 350, event: { data: 'A plain message: no event name, so its type is "message".' } },
  { delayMs: 350, event: { id: "3", event: "progress", data: '{"step":1,"of":3}' } },
  {
    delayMs: 350,
    event: { event: "log", data: "build started\ncompiling 42 files\ndone in 1.2 s" },
  },
  { delayMs: 350, event: { id: "4", event: "progress", data: '{"step":2,"of":3}' } },
  {
    delayMs: 300,
    event: { comment: "heartbeat: comments keep proxies from closing idle streams" },
  },
  { delayMs: 300, event: { id: "5", event: "progress", data: '{"step":3,"of":3}' } },
  { delayMs: 350, event: { id: "6", event: "done", data: '{"ok":true,"events":8}' } },
];

/** How many of the steps are events a client dispatches (they carry data). */
export const demoEventCount = demoSteps.filter((step) => step.event.data !== undefined).length;
