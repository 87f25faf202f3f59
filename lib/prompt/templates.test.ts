import { describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/inference/types";
import { hasShared } from "@/test-support/shared-data";
import { buildInput, parseInput } from "./input";
import {
  buildChatMessages,
  buildInferencePrompt,
  buildLegacyTestPrompt,
  buildTrainingPrompt,
  TRAINING_INSTRUCTION,
  TRAINING_PREFIX,
} from "./templates";
import { readReasoningRows, readRecordedResponses, readTrainingPrompts } from "@/test-support/shared-rows";

describe("prompt templates", () => {
  const input = buildInput("Which?", { A: "x", B: "y" });

  it("lay out the turn format exactly", () => {
    const user = `<start_of_turn>user ${TRAINING_PREFIX} ${TRAINING_INSTRUCTION} here are the inputs ${input} <end_of_turn>\n<start_of_turn>`;
    expect(buildLegacyTestPrompt(input)).toBe(user);
    expect(buildInferencePrompt(input)).toBe(`${user}model`);
    expect(buildTrainingPrompt(input, "<answer>A</answer>")).toBe(`${user}model<answer>A</answer> <end_of_turn>`);
  });

  it("take a custom instruction", () => {
    expect(buildInferencePrompt(input, "Just answer.")).toContain("\n\n Just answer. here are the inputs Q:Which?");
  });

  it("build one user chat message: instruction, blank line, input", () => {
    const messages: ChatMessage[] = buildChatMessages(input);
    expect(messages).toEqual([{ role: "user", content: `${TRAINING_INSTRUCTION}\n\n${input}` }]);
  });
});

describe.skipIf(!hasShared)("prompts rebuilt from the 93 test rows", () => {
  const rows = hasShared ? readReasoningRows() : [];
  const expected = hasShared ? readTrainingPrompts() : [];

  it("use the one fixed instruction", () => {
    expect(new Set(rows.map((r) => r.instruction))).toEqual(new Set([TRAINING_INSTRUCTION]));
  });

  it.each([
    ["the raw input field", (raw: string) => raw],
    [
      "parseInput → buildInput",
      (raw: string) => {
        const { caseText, options } = parseInput(raw);
        return buildInput(caseText, options);
      },
    ],
  ])("match prompt_train and prompt_test byte for byte from %s", (_name, toInput) => {
    expect(expected).toHaveLength(93);
    for (const want of expected) {
      const row = rows[want.index]!;
      const input = toInput(row.input);
      expect(buildTrainingPrompt(input, row.output, row.instruction)).toBe(want.prompt_train);
      expect(buildTrainingPrompt(input, row.output)).toBe(want.prompt_train);
      expect(buildLegacyTestPrompt(input)).toBe(want.prompt_test);
      expect(buildInferencePrompt(input)).toBe(`${want.prompt_test}model`);
    }
  });

  it("match the prompts the earlier version actually sent", () => {
    const recorded = readRecordedResponses();
    expect(recorded).toHaveLength(186);
    for (const rec of recorded) expect(buildLegacyTestPrompt(rows[rec.index]!.input)).toBe(rec.prompt);
  });
});
