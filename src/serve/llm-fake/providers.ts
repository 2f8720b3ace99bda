/**
 * The providers `serve --llm-fake` can fake. Its own file so the command line can list them
 * without loading the fake itself.
 */

export const llmFakeProviders = [
  "openai",
  "openai-responses",
  "anthropic",
  "gemini",
  "cohere",
  "vercel-ai",
] as const;

export type LlmFakeProvider = (typeof llmFakeProviders)[number];
