/**
 * Whether a stream is an LLM stream, decided on its first *decisive* event rather than its
 * first event. Pure.
 *
 * Providers open with events that say nothing yet (an Azure OpenAI filter-results chunk, a usage
 * chunk, a `ping`, an error envelope): those are held back, unshown, until an event names a
 * format (they are then replayed into the assembler) or says "not an LLM stream" (they are
 * released to be shown as events, in order). The wait is bounded: after `maxEvents` held events
 * or `maxBytes` of their data, the stream is taken as not an LLM stream.
 *
 * With `--llm` (explicit) the user has said it is one, so an event of no known shape is held
 * too, within the same bound, instead of deciding against.
 */
import { classifyLlmEvent } from "./recognise.js";
import type { LlmFormat } from "./types.js";

/** The bound on the wait for a decisive event. */
export const llmChoiceMaxEvents = 5;
export const llmChoiceMaxBytes = 64 * 1024;

/** An event held back while undecided, with what the caller needs to show or replay it. */
export interface HeldEvent<Event> {
  event: Event;
  atMs: number;
  /** It passed listen's `-e` filter (only shown events are released for showing). */
  shown: boolean;
}

export type LlmChoiceStep<Event> =
  /** Undecided: the event is held; show nothing now. */
  | { kind: "hold" }
  /** An LLM stream: replay `held` (this event last) into the assembler. */
  | { kind: "llm"; format: LlmFormat; held: HeldEvent<Event>[] }
  /**
   * Not an LLM stream: show `held` (this event last) as events. `bounded` is true when the
   * bound ran out rather than an event deciding.
   */
  | { kind: "not-llm"; held: HeldEvent<Event>[]; bounded: boolean };

export class LlmAutoChoice<Event extends { type: string; data: string }> {
  readonly #explicit: boolean;
  #held: HeldEvent<Event>[] = [];
  #heldBytes = 0;

  /** @param explicit `--llm` was given: events of no known shape do not decide against. */
  constructor(explicit: boolean) {
    this.#explicit = explicit;
  }

  offer(event: Event, atMs: number, shown: boolean): LlmChoiceStep<Event> {
    this.#held.push({ event, atMs, shown });
    this.#heldBytes += event.data.length;
    const found = classifyLlmEvent(event);
    if (found !== "maybe" && found !== "no")
      return { kind: "llm", format: found, held: this.#take() };
    if (found === "no" && !this.#explicit) {
      return { kind: "not-llm", held: this.#take(), bounded: false };
    }
    if (this.#held.length >= llmChoiceMaxEvents || this.#heldBytes >= llmChoiceMaxBytes) {
      return { kind: "not-llm", held: this.#take(), bounded: true };
    }
    return { kind: "hold" };
  }

  /** The run ends undecided: whatever is held, in order, to be shown. */
  drain(): HeldEvent<Event>[] {
    return this.#take();
  }

  #take(): HeldEvent<Event>[] {
    const held = this.#held;
    this.#held = [];
    this.#heldBytes = 0;
    return held;
  }
}
