/**
 * The hub's history: the newest events, kept for clients that resume (Last-Event-ID,
 * `earliest`, --replay-history), and the id each carried. A ring, so keeping one more event
 * costs no copy of the rest. Pure.
 */

/** A kept event: where it sits in the stream, its id, and its bytes. */
export interface HistoryEntry {
  seq: number;
  id: string | undefined;
  /** The encoded block; a view into its batch's buffer, not a copy. */
  bytes: Buffer;
}

export class HistoryRing {
  readonly #size: number;
  /** `#entries[(#start + i) % size]` is the i-th oldest kept event. */
  readonly #entries: HistoryEntry[] = [];
  #start = 0;
  /** id -> seq of the newest kept event that carried it. */
  readonly #seqById = new Map<string, number>();

  /** Keeps the newest `size` events (0: none). */
  constructor(size: number) {
    this.#size = size;
  }

  /** Events kept now. */
  get length(): number {
    return this.#entries.length;
  }

  /** The seq of the newest kept event that carried `id`, if one is still kept. */
  seqOf(id: string): number | undefined {
    return this.#seqById.get(id);
  }

  /** The kept event `index` places after the oldest (0: the oldest), if there is one. */
  at(index: number): HistoryEntry | undefined {
    if (index < 0 || index >= this.#entries.length) return undefined;
    return this.#entries[(this.#start + index) % this.#entries.length];
  }

  /** Keeps `entry`; when full, the oldest event makes room. */
  remember(entry: HistoryEntry): void {
    if (this.#size === 0) return;
    if (this.#entries.length < this.#size) {
      this.#entries.push(entry);
    } else {
      const evicted = this.#entries[this.#start]!;
      if (evicted.id !== undefined && this.#seqById.get(evicted.id) === evicted.seq) {
        this.#seqById.delete(evicted.id);
      }
      this.#entries[this.#start] = entry;
      this.#start = (this.#start + 1) % this.#size;
    }
    if (entry.id !== undefined) this.#seqById.set(entry.id, entry.seq);
  }
}
