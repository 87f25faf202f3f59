import { describe, expect, it } from "vitest";
import { createJudge, parseJudgeArg } from "./judge-factory";

describe("parseJudgeArg", () => {
  it.each([
    ["none", { provider: "none" }],
    [" NONE ", { provider: "none" }],
    ["groq:openai/gpt-oss-120b", { provider: "groq", model: "openai/gpt-oss-120b" }],
    ["Groq:openai/gpt-oss-20b", { provider: "groq", model: "openai/gpt-oss-20b" }],
    ["ollama:qwen3:8b", { provider: "ollama", model: "qwen3:8b" }],
    ["ollama:mrizwank97/medgpt:latest", { provider: "ollama", model: "mrizwank97/medgpt:latest" }],
  ])("%s", (arg, expected) => {
    expect(parseJudgeArg(arg)).toEqual(expected);
  });

  it.each([
    ["", /empty/],
    ["groq", /names no provider/],
    ["openai:gpt-4o", /unknown provider "openai"/],
    ["groq:", /names no model/],
    ["ollama:  ", /names no model/],
    ["groq:openai/gpt oss", /must not contain spaces/],
  ])("rejects %j", (arg, message) => {
    expect(() => parseJudgeArg(arg)).toThrow(message);
    expect(() => parseJudgeArg(arg)).toThrow(/none|spaces/);
  });
});

describe("createJudge", () => {
  const env = { ollamaHost: "http://127.0.0.1:11434" };

  it("none → null", () => {
    expect(createJudge("none", env)).toBeNull();
    expect(createJudge({ provider: "none" }, env)).toBeNull();
  });

  it("groq needs GROQ_API_KEY", () => {
    expect(() => createJudge("groq:openai/gpt-oss-120b", env)).toThrow(/GROQ_API_KEY/);
    expect(() => createJudge("groq:openai/gpt-oss-120b", { ...env, groqApiKey: "  " })).toThrow(/GROQ_API_KEY/);
  });

  it("builds the named provider and model", () => {
    const groq = createJudge("groq:openai/gpt-oss-20b", {
      ...env,
      groqApiKey: "gsk_x",
      groqBaseUrl: "http://127.0.0.1:1",
    });
    expect(groq?.id).toBe("groq:openai/gpt-oss-20b");
    expect(groq?.spec.provider).toBe("groq");
    const ollama = createJudge({ provider: "ollama", model: "qwen3:8b" }, env);
    expect(ollama?.id).toBe("ollama:qwen3:8b");
    expect(ollama?.spec).toMatchObject({ provider: "ollama", model: "qwen3:8b" });
  });
});
