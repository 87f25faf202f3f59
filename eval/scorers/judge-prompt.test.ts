import { describe, expect, it } from "vitest";
import { judgeInput } from "@/test-support/judge-fixtures";
import { DEFAULT_JUDGE_SYSTEM_PROMPT, JUDGE_USER_TEMPLATE, fillTemplate, renderJudgePrompt } from "./judge-prompt";

const INPUT = judgeInput({
  caseText: "  A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy.  ",
  referenceReasoning: "Bilateral hilar adenopathy in a young woman suggests sarcoidosis.",
  modelOutput: "<analysis>Hilar nodes → sarcoid.</analysis>\n<answer>B: Sarcoidosis</answer>",
});

describe("judge prompt", () => {
  it("states the rubric and asks for JSON (Groq json mode requires the word)", () => {
    expect(DEFAULT_JUDGE_SYSTEM_PROMPT).toMatch(/JSON/);
    expect(DEFAULT_JUDGE_SYSTEM_PROMPT).toMatch(/<analysis>/);
    expect(DEFAULT_JUDGE_SYSTEM_PROMPT).toMatch(/<answer>/);
    expect(DEFAULT_JUDGE_SYSTEM_PROMPT).toMatch(/score is 0/);
    for (const level of ["1:", "2:", "3:", "4:", "5:"]) expect(DEFAULT_JUDGE_SYSTEM_PROMPT).toContain(`- ${level}`);
    expect(DEFAULT_JUDGE_SYSTEM_PROMPT).toContain('{"score": <integer 0-5>, "explanation"');
    expect(JUDGE_USER_TEMPLATE).toMatch(/JSON/);
  });

  it("fills case, offered options, reference letter and text, reasoning and the output", () => {
    const { system, user } = renderJudgePrompt(INPUT);
    expect(system).toBe(DEFAULT_JUDGE_SYSTEM_PROMPT);
    expect(user).toContain("Question:\nA 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy.\n");
    expect(user).toContain("Options:\nA: Asthma\nB: Sarcoidosis\nC: Tuberculosis\n");
    expect(user).not.toMatch(/^D:/m);
    expect(user).toContain("Reference answer: B: Sarcoidosis");
    expect(user).toContain("Reference reasoning:\nBilateral hilar adenopathy");
    expect(user).toContain(`=== MODEL OUTPUT START ===\n${INPUT.modelOutput}\n=== MODEL OUTPUT END ===`);
    expect(user).not.toMatch(/\{\{\w+\}\}/);
  });

  it("says when there is no reference reasoning", () => {
    expect(renderJudgePrompt({ ...INPUT, referenceReasoning: null }).user).toContain(
      "Reference reasoning:\n(none provided)",
    );
    expect(renderJudgePrompt({ ...INPUT, referenceReasoning: "   " }).user).toContain("(none provided)");
  });

  it("fills in one pass: placeholder-like text in the model output stays as written", () => {
    const { user } = renderJudgePrompt({ ...INPUT, modelOutput: "see {{reference_letter}} and $& and $1" });
    expect(user).toContain("see {{reference_letter}} and $& and $1");
  });

  it("an unknown placeholder is an error, not an empty string", () => {
    expect(() => fillTemplate("{{nope}}", {})).toThrow(/nope/);
  });
});
