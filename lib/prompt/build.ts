import type { Options } from "@/lib/schemas/options";
import type { PromptFormat } from "./format";
import { buildInput } from "./input";
import { buildChatMessages, buildInferencePrompt, type UserMessage } from "./templates";

/** Structurally the inference layer's `Prompt`; declared here so prompt building depends on nothing. */
export type BuiltPrompt = { kind: "raw"; text: string } | { kind: "chat"; messages: UserMessage[] };

export function buildPrompt(
  format: PromptFormat,
  caseText: string,
  options: Options,
  instruction?: string,
): BuiltPrompt {
  const input = buildInput(caseText, options);
  return format === "medgpt-raw"
    ? { kind: "raw", text: buildInferencePrompt(input, instruction) }
    : { kind: "chat", messages: buildChatMessages(input, instruction) };
}
