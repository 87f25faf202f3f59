import { describe, expect, it } from "vitest";
import { formatModelRef, parseModelRef, sameModel, withoutLatestTag } from "./ref";

describe("parseModelRef", () => {
  it.each([
    ["mrizwank97/medgpt:latest", "registry.ollama.ai", "mrizwank97", "medgpt", "latest"],
    ["mrizwank97/medgpt", "registry.ollama.ai", "mrizwank97", "medgpt", "latest"],
    ["gemma2:2b", "registry.ollama.ai", "library", "gemma2", "2b"],
    ["gemma2", "registry.ollama.ai", "library", "gemma2", "latest"],
    ["registry.ollama.ai/mrizwank97/medgpt:v1.0", "registry.ollama.ai", "mrizwank97", "medgpt", "v1.0"],
    ["https://registry.ollama.ai/library/llama3.2:3b", "registry.ollama.ai", "library", "llama3.2", "3b"],
    ["hf.co/bartowski/gemma-2-2b-it-GGUF:Q4_K_M", "hf.co", "bartowski", "gemma-2-2b-it-GGUF", "Q4_K_M"],
    ["localhost:5000/me/model:dev", "localhost:5000", "me", "model", "dev"],
    ["  medgpt  ", "registry.ollama.ai", "library", "medgpt", "latest"],
  ])("%s", (name, host, namespace, model, tag) => {
    expect(parseModelRef(name)).toEqual({ host, namespace, model, tag });
  });

  it.each(["", "a/b/c/d", "x/y:", "x/:tag", "model@sha256:abc", "bad name", "ns/mo del"])("rejects %j", (name) => {
    expect(() => parseModelRef(name)).toThrow(/invalid model name/);
  });

  it("formats back, with the host only when it is not the default", () => {
    expect(formatModelRef(parseModelRef("mrizwank97/medgpt"))).toBe("mrizwank97/medgpt:latest");
    expect(formatModelRef(parseModelRef("hf.co/a/b:c"))).toBe("hf.co/a/b:c");
  });
});

describe("withoutLatestTag / sameModel", () => {
  it.each([
    ["medgpt:latest", "medgpt"],
    ["mrizwank97/medgpt:latest", "mrizwank97/medgpt"],
    ["medgpt", "medgpt"],
    ["gemma2:2b", "gemma2:2b"],
    ["latest", "latest"],
    ["medgpt:latest-q4", "medgpt:latest-q4"],
  ])("%s → %s", (name, expected) => {
    expect(withoutLatestTag(name)).toBe(expected);
  });

  it("treats x and x:latest as one model, and other tags as other models", () => {
    expect(sameModel("medgpt", "medgpt:latest")).toBe(true);
    expect(sameModel("medgpt:latest", "medgpt")).toBe(true);
    expect(sameModel("medgpt", "medgpt")).toBe(true);
    expect(sameModel("medgpt", "medgpt:v1")).toBe(false);
    expect(sameModel("medgpt:latest", "other:latest")).toBe(false);
  });
});
