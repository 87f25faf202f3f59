import { expect } from "vitest";
import type { JudgeInput } from "@/eval/types";
import { DEFAULT_JUDGE_SYSTEM_PROMPT } from "@/eval/scorers/judge-prompt";

/** A sarcoidosis case for the judge tests (reference B); `over` replaces any field. */
export const judgeInput = (over: Partial<JudgeInput> = {}): JudgeInput => ({
  caseText: "A 30-year-old woman has a dry cough and bilateral hilar lymphadenopathy. Most likely diagnosis?",
  options: { A: "Asthma", B: "Sarcoidosis", C: "Tuberculosis" },
  referenceLetter: "B",
  referenceReasoning: "Bilateral hilar adenopathy suggests sarcoidosis.",
  modelOutput: "<analysis>Hilar nodes.</analysis>\n<answer>B</answer>",
  ...over,
});

/** The messages a judge sends for judgeInput() with the default prompts: the rubric, then the filled-in case. */
export const defaultJudgeMessages = () => [
  { role: "system", content: DEFAULT_JUDGE_SYSTEM_PROMPT },
  { role: "user", content: expect.stringContaining("Reference answer: B: Sarcoidosis") },
];
