/**
 * The event ids a session has shown, so a resumed stream that replays an event shows nothing
 * twice. Bounded: the oldest ids are forgotten first. Pure.
 */

/** Ids remembered; a replay reaches back far less than this. */
const maxRemembered = 4096;

export class SeenEventIds {
  readonly #ids = new Set<string>();

  /** true the first time an id is seen, false after. */
  firstSight(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > maxRemembered) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }
}
