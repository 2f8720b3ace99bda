/**
 * Which scripted reply answers a request: the first reply with a `match` the request meets,
 * else the next reply without one, in turn (the last of those repeats). Pure apart from the
 * turn it keeps.
 */
import type { RequestView } from "./request-view.js";
import type { LlmFakeMatch, LlmFakeReply } from "./script.js";

export function matches(match: LlmFakeMatch, request: RequestView): boolean {
  if (match.model !== undefined && match.model !== request.model) return false;
  if (match.lastUser !== undefined && !request.lastUser.includes(match.lastUser)) return false;
  if (match.toolResult !== undefined) {
    if (request.toolResult === undefined || !request.toolResult.includes(match.toolResult)) {
      return false;
    }
  }
  return true;
}

export class ReplyChooser {
  readonly #replies: readonly LlmFakeReply[];
  readonly #inTurn: LlmFakeReply[];
  #turn = 0;

  constructor(replies: readonly LlmFakeReply[]) {
    this.#replies = replies;
    this.#inTurn = replies.filter((reply) => reply.match === undefined);
  }

  /** The reply for this request, or undefined when none matches and none is left in turn. */
  choose(request: RequestView): LlmFakeReply | undefined {
    const matched = this.#replies.find(
      (reply) => reply.match !== undefined && matches(reply.match, request),
    );
    if (matched !== undefined) return matched;
    const next = this.#inTurn[Math.min(this.#turn, this.#inTurn.length - 1)];
    this.#turn++;
    return next;
  }
}
