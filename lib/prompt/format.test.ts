import { describe, expect, it } from "vitest";
import type { Prompt } from "@/lib/inference/types";
import { buildPrompt } from "./build";
import { defaultPromptFormat, parsePromptFormatOverrides, resolvePromptFormat } from "./format";
import { buildInput } from "./input";
import { buildChatMessages, buildInferencePrompt } from "./templates";

describe("defaultPromptFormat", () => {
  it.each([
    ["mrizwank97/medgpt", "medgpt-raw"],
    ["mrizwank97/medgpt:latest", "medgpt-raw"],
    ["medgpt:latest", "medgpt-raw"],
    ["medgpt", "medgpt-raw"],
    ["MedGPT-q4", "medgpt-raw"],
    ["gemma2:2b", "chat"],
    ["llama3.2", "chat"],
  ])("%s → %s", (model, format) => {
    expect(defaultPromptFormat(model)).toBe(format);
  });
});

describe("resolvePromptFormat", () => {
  const overrides = parsePromptFormatOverrides("mymodel=medgpt-raw, medgpt:q8=chat, tagged:latest=medgpt-raw");

  it.each([
    ["exact name", "mymodel", "medgpt-raw"],
    ["model with :latest, override without", "mymodel:latest", "medgpt-raw"],
    ["override with :latest, model without", "tagged", "medgpt-raw"],
    ["override beats the medgpt default", "medgpt:q8", "chat"],
    ["other tags are different models", "mymodel:7b", "chat"],
    ["no override: default", "medgpt", "medgpt-raw"],
    ["no override: chat", "gemma2:2b", "chat"],
    ["inherited object keys are not overrides", "constructor", "chat"],
  ])("%s", (_name, model, format) => {
    expect(resolvePromptFormat(model, overrides)).toBe(format);
  });

  it("prefers the exact name over the :latest-insensitive match", () => {
    expect(resolvePromptFormat("x", { "x:latest": "chat", x: "medgpt-raw" })).toBe("medgpt-raw");
    expect(resolvePromptFormat("x:latest", { x: "chat", "x:latest": "medgpt-raw" })).toBe("medgpt-raw");
  });
});

describe("parsePromptFormatOverrides", () => {
  it("parses entries, ignoring whitespace and empty entries", () => {
    expect(parsePromptFormatOverrides(" mymodel = medgpt-raw ,, other=chat, ")).toEqual({
      mymodel: "medgpt-raw",
      other: "chat",
    });
    expect(parsePromptFormatOverrides("")).toEqual({});
    expect(parsePromptFormatOverrides("hf.co/me/model:Q4_K_M=medgpt-raw")).toEqual({
      "hf.co/me/model:Q4_K_M": "medgpt-raw",
    });
  });

  it.each([
    ["no '='", "mymodel=chat,other", /"other" must look like model=format/],
    ["no model name", "=chat", /"=chat" must look like model=format/],
    ["unknown format", "mymodel=raw", /"mymodel=raw": unknown format "raw" \(expected medgpt-raw or chat\)/],
    ["empty format", "mymodel=", /unknown format ""/],
    ["model listed twice", "a=chat,a=medgpt-raw", /"a=medgpt-raw": model "a" is listed twice/],
  ])("rejects %s, naming the entry", (_name, s, message) => {
    expect(() => parsePromptFormatOverrides(s)).toThrow(message);
  });
});

describe("buildPrompt", () => {
  const options = { A: "x", B: "y", C: "z", D: "w" };
  const input = buildInput("Which?", options);

  it("builds the raw inference prompt for medgpt-raw", () => {
    const prompt: Prompt = buildPrompt("medgpt-raw", "Which?", options);
    expect(prompt).toEqual({ kind: "raw", text: buildInferencePrompt(input) });
  });

  it("builds chat messages for chat, with a custom instruction", () => {
    const prompt: Prompt = buildPrompt("chat", "Which?", options, "Answer briefly.");
    expect(prompt).toEqual({ kind: "chat", messages: buildChatMessages(input, "Answer briefly.") });
  });
});
