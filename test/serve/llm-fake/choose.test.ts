import { describe, expect, it } from "vitest";
import { ReplyChooser } from "../../../src/serve/llm-fake/choose.js";
import { requestView } from "../../../src/serve/llm-fake/request-view.js";

const url = new URL("http://127.0.0.1/v1/chat/completions");
const chat = (content: string, model = "m") =>
  requestView("openai", { model, messages: [{ role: "user", content }] }, url);

describe("ReplyChooser", () => {
  it("a reply whose match holds, else the next in turn; the last in turn repeats", () => {
    const chooser = new ReplyChooser([
      { text: "first" },
      { match: { lastUser: "weather" }, text: "sunny" },
      { match: { model: "big", lastUser: "hi" }, text: "big hello" },
      { text: "second" },
    ]);
    const texts = [
      chooser.choose(chat("hi"))?.text,
      chooser.choose(chat("the weather?"))?.text,
      chooser.choose(chat("hi", "big"))?.text,
      chooser.choose(chat("hi"))?.text,
      chooser.choose(chat("hi"))?.text,
    ];
    expect(texts).toEqual(["first", "sunny", "big hello", "second", "second"]);
  });

  it("none when nothing matches and no reply is in turn", () => {
    const chooser = new ReplyChooser([{ match: { lastUser: "x" }, text: "x" }]);
    expect(chooser.choose(chat("y"))).toBeUndefined();
  });
});

describe("requestView: the last user message and a tool result, per provider", () => {
  const cases: Array<
    [Parameters<typeof requestView>[0], Record<string, unknown>, string, string | undefined]
  > = [
    [
      "openai",
      {
        messages: [
          { role: "user", content: [{ type: "text", text: "Weather?" }] },
          { role: "tool", tool_call_id: "1", content: "12°C" },
        ],
      },
      "Weather?",
      "12°C",
    ],
    [
      "openai-responses",
      {
        input: [
          { role: "user", content: [{ type: "input_text", text: "Weather?" }] },
          { type: "function_call_output", call_id: "1", output: "12°C" },
        ],
      },
      "Weather?",
      "12°C",
    ],
    ["openai-responses", { input: "Just text" }, "Just text", undefined],
    [
      "anthropic",
      {
        messages: [
          { role: "user", content: "Weather?" },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "1", content: [{ type: "text", text: "12°C" }] },
            ],
          },
        ],
      },
      "Weather?",
      "12°C",
    ],
    [
      "gemini",
      {
        contents: [
          { role: "user", parts: [{ text: "Weather?" }] },
          { role: "user", parts: [{ functionResponse: { name: "f", response: { t: "12°C" } } }] },
        ],
      },
      "Weather?",
      '{"t":"12°C"}',
    ],
    [
      "cohere",
      {
        messages: [
          { role: "user", content: "Weather?" },
          { role: "tool", content: "12°C" },
        ],
      },
      "Weather?",
      "12°C",
    ],
    [
      "vercel-ai",
      {
        messages: [
          { role: "user", parts: [{ type: "text", text: "Weather?" }] },
          {
            role: "assistant",
            parts: [{ type: "tool-f", state: "output-available", output: "12°C" }],
          },
        ],
      },
      "Weather?",
      "12°C",
    ],
  ];
  it.each(cases)("%s %j", (provider, body, lastUser, toolResult) => {
    const view = requestView(provider, body, url);
    expect(view.lastUser).toBe(lastUser);
    expect(view.toolResult).toBe(toolResult);
  });
});
