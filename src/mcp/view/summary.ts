/** The summary as the pretty view prints it. Pure: lines out, escaped by the caller. */
import type { ServerSummary } from "../summary.js";

export function formatSummary(summary: ServerSummary): string[] {
  const name = [summary.server.name ?? "(no name)", summary.server.version ?? ""].join(" ").trim();
  const responses =
    summary.responses.length === 0
      ? "none seen"
      : summary.responses.map((kind) => (kind === "json" ? "JSON" : "event streams")).join(" and ");
  const lines = [
    `server        ${name}`,
    `revision      ${summary.protocolVersion ?? "unknown"} (${summary.transport === "http+sse" ? "HTTP+SSE transport" : "Streamable HTTP"})`,
    `session       ${summary.session ?? "none (stateless server)"}`,
    `responses     ${responses}`,
    `capabilities  ${Object.keys(summary.capabilities).join(", ") || "none"}`,
  ];
  if (summary.instructions !== undefined) {
    lines.push(`instructions  ${summary.instructions.split("\n", 1)[0]}`);
  }
  if (summary.tools.length > 0) {
    lines.push("", `tools (${summary.tools.length})`);
    for (const tool of summary.tools) {
      const args = tool.arguments
        .map(
          (argument) =>
            `${argument.name}${argument.required ? "" : "?"}${argument.type ? `: ${argument.type}` : ""}`,
        )
        .join(", ");
      lines.push(`  ${tool.name}(${args})${tool.description ? `  ${tool.description}` : ""}`);
    }
  }
  if (summary.resources.length > 0) {
    lines.push("", `resources (${summary.resources.length})`);
    for (const resource of summary.resources) {
      const extra = [resource.name, resource.mimeType].filter(Boolean).join("  ");
      lines.push(`  ${resource.uri}${extra ? `  ${extra}` : ""}`);
    }
  }
  if (summary.prompts.length > 0) {
    lines.push("", `prompts (${summary.prompts.length})`);
    for (const prompt of summary.prompts) {
      const description = prompt.description ? `  ${prompt.description}` : "";
      lines.push(`  ${prompt.name}(${prompt.arguments.join(", ")})${description}`);
    }
  }
  return lines;
}
