import type { Judge, JudgeSpec } from "@/eval/types";
import type { JudgeBackoffOptions } from "./backoff";

/** What a judge needs from the app config: the Groq key and endpoint, and the Ollama the judge talks to. */
export type JudgeEnv = {
  groqApiKey?: string;
  groqBaseUrl?: string;
  ollamaHost: string;
  /** Test seam and tuning; the defaults are in backoff.ts. */
  backoff?: JudgeBackoffOptions;
  timeoutMs?: number;
};

/** One judge provider. Adding a provider is one file exporting one of these, plus one line in judges.ts. */
export type JudgeProvider = {
  /** Shown in usage messages, e.g. "groq:openai/gpt-oss-120b". */
  example: string;
  /** Why this provider cannot judge with this environment (e.g. no API key), or null when it can. */
  unavailableBecause(env: JudgeEnv): string | null;
  /**
   * Builds a judge for `model`. `stored` is the spec saved with an existing run: its prompts and parameters are used
   * instead of today's defaults, so a resumed run is graded the way it started.
   */
  create(model: string, env: JudgeEnv, stored?: JudgeSpec): Judge;
};

/** Optional overrides every provider accepts: the stored spec's prompts and token budget. */
export function storedOverrides(stored: JudgeSpec | undefined) {
  return stored
    ? {
        prompts: { systemPrompt: stored.systemPrompt, userPromptTemplate: stored.userPromptTemplate },
        maxTokens: stored.params.maxTokens,
      }
    : {};
}
