/** The viewer page's HTML (its behaviour in Chromium: test/browser/viewer-page.test.ts). */
import { describe, expect, it } from "vitest";
import { renderViewerPage } from "../../../src/serve/viewer/page.js";

describe("renderViewerPage", () => {
  it("carries one inline script, built from viewer-script.ts with the project's decoder", () => {
    const html = renderViewerPage({ streamPath: "/events" });
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain("EventStreamDecoder");
    expect(html).toContain('<body data-stream-path="/events">');
  });

  it("a stream path with markup stays text: escaped in the title and the data attribute", () => {
    const path = "/x\"><script>alert(1)</script><b a='";
    const html = renderViewerPage({ streamPath: path });
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toContain("<b ");
    expect(html).toContain(
      'data-stream-path="/x&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#60;b a=&#39;"',
    );
  });
});
