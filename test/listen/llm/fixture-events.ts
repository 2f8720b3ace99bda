/** The events of a fixture in test/fixtures/llm, decoded as listen decodes them. */
import { readFileSync } from "node:fs";
import { EventStreamDecoder, type StreamEvent } from "../../../src/sse/decoder.js";

export function fixtureEvents(name: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  const decoder = new EventStreamDecoder({ onEvent: (event) => events.push(event) });
  decoder.feed(readFileSync(new URL(`../../fixtures/llm/${name}`, import.meta.url)));
  decoder.endStream();
  return events;
}
