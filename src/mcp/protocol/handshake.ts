/**
 * What the client says of itself in `initialize` (the spec's lifecycle section): the revision
 * it offers, its name and version, and the capabilities it has. Pure.
 */
import packageJson from "../../../package.json" with { type: "json" };

/** The capabilities the client declares: those it has canned replies for. */
export function clientCapabilities(
  replies: Record<string, unknown> | undefined,
): Record<string, object> {
  const capabilities: Record<string, object> = {};
  if (replies?.["roots/list"] !== undefined) capabilities.roots = {};
  if (replies?.["sampling/createMessage"] !== undefined) capabilities.sampling = {};
  if (replies?.["elicitation/create"] !== undefined) capabilities.elicitation = {};
  return capabilities;
}

/** The params of `initialize`, offering `revision`. */
export function initializeParams(
  revision: string,
  replies: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return {
    protocolVersion: revision,
    capabilities: clientCapabilities(replies),
    clientInfo: { name: "sse-tool", version: packageJson.version },
  };
}
