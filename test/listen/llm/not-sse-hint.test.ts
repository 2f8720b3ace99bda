/** The hint for an LLM API that answered in another format because of how it was asked. */
import { describe, expect, it } from "vitest";
import { llmNotSseHint } from "../../../src/listen/llm/not-sse-hint.js";

const gemini = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash";

describe("llmNotSseHint", () => {
  it("Gemini's streamed JSON array: by its body, or by its URL without alt=sse", () => {
    const body = '[{\n  "candidates": [{"content": {"parts": [{"text": "Hi"}]}}]';
    expect(llmNotSseHint("http://127.0.0.1:1/proxy", body)).toContain("add alt=sse");
    expect(llmNotSseHint(`${gemini}:streamGenerateContent`, "")).toContain("add alt=sse");
    expect(llmNotSseHint(`${gemini}:streamGenerateContent?key=k`, "[")).toContain("add alt=sse");
  });

  it("nothing for other bodies and for a URL that already asks for SSE", () => {
    expect(llmNotSseHint("http://127.0.0.1:1/api", '{"error":"no"}')).toBeUndefined();
    expect(llmNotSseHint("http://127.0.0.1:1/api", "[1, 2, 3]")).toBeUndefined();
    expect(llmNotSseHint(`${gemini}:streamGenerateContent?alt=sse`, "<html>")).toBeUndefined();
    expect(llmNotSseHint("not a url", "")).toBeUndefined();
  });
});
