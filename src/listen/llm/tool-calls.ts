/**
 * Numbers a provider family's tool calls in the order they open, by whatever key the family
 * names them with (an output item id, a content block index, a call id). Pure.
 */
import type { LlmDelta } from "./types.js";

export class ToolCallSlots<Key> {
  readonly #indexes = new Map<Key, number>();
  readonly #unnamed: string;

  /** @param unnamed the name shown for a call whose start never said one */
  constructor(unnamed = "function") {
    this.#unnamed = unnamed;
  }

  /** The call's index; a new key opens a call (a tool-start delta is pushed). */
  slot(key: Key, name: string | undefined, deltas: LlmDelta[]): number {
    const known = this.#indexes.get(key);
    if (known !== undefined) return known;
    const index = this.#indexes.size;
    this.#indexes.set(key, index);
    deltas.push({ kind: "tool-start", index, name: name ?? this.#unnamed });
    return index;
  }

  /** A piece of a call's arguments; a call never announced (its start missed) opens unnamed. */
  args(key: Key, text: string | undefined, deltas: LlmDelta[]): void {
    if (!text) return;
    const index = this.slot(key, undefined, deltas);
    deltas.push({ kind: "tool-args", index, text });
  }
}
