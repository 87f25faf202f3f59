import { z } from "zod";

/**
 * The shape of a judge argument: `none`, or `<provider>:<model>` (the model may hold colons and slashes of its own).
 * Which providers exist is evaluation's to say (eval/scorers/judges.ts); lib/ checks the shape only, and evaluation
 * checks the provider where the argument is used (run creation; MEDGPT_JUDGE at server start).
 */
export const JUDGE_ARG_PATTERN = /^(none|[a-z][a-z0-9-]*:\S.*)$/i;
export const JudgeArgSchema = z.string().regex(JUDGE_ARG_PATTERN, {
  error: "must be none or <provider>:<model>, e.g. groq:openai/gpt-oss-120b or ollama:qwen3:8b",
});
