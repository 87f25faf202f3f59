import { readFileSync } from "node:fs";
import { sharedPath } from "@/test-support/shared-data";

/** Test-only readers for ../shared data; callers guard with `hasShared`. */

export type ReasoningRow = { instruction: string; input: string; output: string };
export type TrainingPromptRow = { index: number; prompt_train: string; prompt_test: string };
export type RecordedResponse = {
  index: number;
  input_sha256_16: string;
  model: string;
  prompt: string;
  response: string;
};

function readJsonl<T>(name: string): T[] {
  return readFileSync(sharedPath("data", name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

export const readReasoningRows = () => readJsonl<ReasoningRow>("medical-reasoning-test93.jsonl");
export const readTrainingPrompts = () => readJsonl<TrainingPromptRow>("training-prompts-test93.jsonl");
export const readRecordedResponses = () => readJsonl<RecordedResponse>("recorded-responses-test93.jsonl");
