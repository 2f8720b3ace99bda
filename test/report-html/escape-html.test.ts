/**
 * The report page's escapers with hostile values: HTML text and attributes, and JSON inside a
 * <script> element (`</script>` or `<!--` inside a value must not end or change the script).
 */
import { describe, expect, it } from "vitest";
import { escapeHtml, jsonForScript } from "../../src/report-html/escape-html.js";
import { renderReportPage } from "../../src/report-html/page.js";

const hostile = [
  "</script><script>alert(1)</script>",
  "<!--<script>",
  `"><img src=x onerror=alert(1)>`,
  "'single' & \"double\"",
  "line\u2028separator\u2029",
  "</SCRIPT >",
];

describe("escapeHtml", () => {
  it.each(hostile)("leaves no markup in %j", (value) => {
    const escaped = escapeHtml(value);
    expect(escaped).not.toMatch(/[<>"']/);
    expect(escaped.replace(/&(lt|gt|quot|#39|amp);/g, "")).not.toContain("&");
  });
});

describe("jsonForScript", () => {
  it.each(hostile)("keeps %j inside the script and reads back the same", (value) => {
    const json = jsonForScript({ value, list: [value] });
    expect(json).not.toMatch(/<|>|\u2028|\u2029/);
    expect(JSON.parse(json)).toEqual({ value, list: [value] });
  });
});

describe("renderReportPage", () => {
  it("carries hostile chart labels only as escaped JSON and the title only as text", () => {
    const page = renderReportPage({
      title: hostile[0]!,
      summaryHtml: "",
      charts: [
        {
          id: "c",
          title: hostile[0]!,
          xLabel: hostile[1]!,
          yLabel: "y",
          xKind: "time",
          x: [0],
          series: [{ label: hostile[2]!, values: [1], color: "#000" }],
        },
      ],
    });
    // Exactly the page's own scripts open and close.
    expect(page.match(/<script/gi)?.length).toBe(2);
    expect(page.match(/<\/script/gi)?.length).toBe(2);
    expect(page).not.toContain("<!--");
    expect(page).toContain("default-src 'none'");
  });
});
