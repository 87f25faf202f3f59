import "server-only";
import type { AppConfig } from "@/lib/config";
import { judgeFromSpec, type JudgeEnv } from "@/eval/scorers/judge-factory";
import type { Judge } from "@/eval/types";
import type { RunConfig } from "./run-config";

/** Rebuilds the judge a run was created with, from the spec stored with the run (its prompts included). */
export function judgeFor(spec: RunConfig["judge"], config: AppConfig): Judge | null {
  return spec ? judgeFromSpec(spec, judgeEnv(config)) : null;
}

/** What a judge needs from the app config: the Groq key and endpoint, and the Ollama the judge talks to. */
export function judgeEnv(config: AppConfig): JudgeEnv {
  return { groqApiKey: config.groq.apiKey, groqBaseUrl: config.groq.baseUrl, ollamaHost: config.ollamaHost };
}
