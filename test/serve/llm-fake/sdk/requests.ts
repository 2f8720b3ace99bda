/** Each provider's request for a reply kind, as its clients send it, and where to send it. */
import type { LlmFakeProvider } from "../../../../src/serve/llm-fake/providers.js";

export function providerRequest(
  provider: LlmFakeProvider,
  origin: string,
  prompt: string,
): { url: string; body: Record<string, unknown> } {
  const messages = [{ role: "user", content: prompt }];
  switch (provider) {
    case "openai":
      return {
        url: `${origin}/v1/chat/completions`,
        body: { model: "m", stream: true, stream_options: { include_usage: true }, messages },
      };
    case "openai-responses":
      return { url: `${origin}/v1/responses`, body: { model: "m", stream: true, input: prompt } };
    case "anthropic":
      return {
        url: `${origin}/v1/messages`,
        body: { model: "m", stream: true, max_tokens: 100, messages },
      };
    case "gemini":
      return {
        url: `${origin}/v1beta/models/m:streamGenerateContent?alt=sse`,
        body: { contents: [{ role: "user", parts: [{ text: prompt }] }] },
      };
    case "cohere":
      return { url: `${origin}/v2/chat`, body: { model: "m", stream: true, messages } };
    case "vercel-ai":
      return {
        url: `${origin}/api/chat`,
        body: {
          id: "chat-1",
          messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: prompt }] }],
        },
      };
  }
}
