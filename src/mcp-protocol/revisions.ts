/** The MCP revisions this client knows, newest first. Pure. */

/** Streamable HTTP revisions, newest first: the first is offered in `initialize`. */
export const streamableRevisions = ["2025-11-25", "2025-06-18", "2025-03-26"] as const;

/** The HTTP+SSE transport's revision (an `endpoint` event, then POSTs to it). */
export const legacyRevision = "2024-11-05";

export const newestRevision = streamableRevisions[0];

export function isKnownRevision(revision: string): boolean {
  return (
    (streamableRevisions as readonly string[]).includes(revision) || revision === legacyRevision
  );
}

/** 2025-11-25 servers may send a priming event and close a stream before its response. */
export function mayPrimeStreams(revision: string): boolean {
  return revision >= "2025-11-25";
}
