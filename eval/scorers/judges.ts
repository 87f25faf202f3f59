import { groqJudgeProvider } from "./judge-groq";
import { ollamaJudgeProvider } from "./judge-ollama";
import type { JudgeProvider } from "./judge-provider";

/**
 * The judge providers, declared once. The stored judge spec's `provider` enum, the judge argument parser (dashboard,
 * API, CLI, MEDGPT_JUDGE at start), the OpenAPI description and the list the dashboard offers derive from it.
 */
export const JUDGE_PROVIDERS = {
  groq: groqJudgeProvider,
  ollama: ollamaJudgeProvider,
} satisfies Record<string, JudgeProvider>;

export type JudgeProviderId = keyof typeof JUDGE_PROVIDERS;
export const JUDGE_PROVIDER_IDS = Object.keys(JUDGE_PROVIDERS) as [JudgeProviderId, ...JudgeProviderId[]];

export const isJudgeProviderId = (id: string): id is JudgeProviderId => Object.hasOwn(JUDGE_PROVIDERS, id);
