import type { Judge } from "@/eval/types";
import type { JudgeBackoffOptions } from "./backoff";
import { createGroqJudge } from "./judge-groq";
import { createOllamaJudge } from "./judge-ollama";

export type JudgeArg = { provider: "none" } | { provider: "groq"; model: string } | { provider: "ollama"; model: string };

const USAGE = 'expected "none", "groq:<model>" (e.g. groq:openai/gpt-oss-120b) or "ollama:<model>" (e.g. ollama:qwen3:8b)';

/**
 * Parses the judge argument. Only the first colon separates the provider, because model names carry their own
 * (ollama "qwen3:8b") and slashes (groq "openai/gpt-oss-120b"). No default model: which judge graded a run must be
 * a visible choice, not an accident of defaults.
 */
export function parseJudgeArg(arg: string): JudgeArg {
  const value = arg.trim();
  if (value === "") throw new Error(`the judge argument is empty; ${USAGE}`);
  if (value.toLowerCase() === "none") return { provider: "none" };
  const colon = value.indexOf(":");
  if (colon < 0) throw new Error(`judge "${arg}" names no provider; ${USAGE}`);
  const provider = value.slice(0, colon).toLowerCase();
  const model = value.slice(colon + 1).trim();
  if (provider !== "groq" && provider !== "ollama") throw new Error(`judge "${arg}": unknown provider "${provider}"; ${USAGE}`);
  if (model === "") throw new Error(`judge "${arg}" names no model; ${USAGE}`);
  if (/\s/.test(model)) throw new Error(`judge "${arg}": the model name must not contain spaces`);
  return { provider, model };
}

export type JudgeEnv = {
  groqApiKey?: string;
  groqBaseUrl?: string;
  ollamaHost: string;
  /** Test seam and tuning; the defaults are in backoff.ts. */
  backoff?: JudgeBackoffOptions;
  timeoutMs?: number;
};

/** The judge for a parsed or raw judge argument; null for "none". */
export function createJudge(arg: JudgeArg | string, env: JudgeEnv): Judge | null {
  const parsed = typeof arg === "string" ? parseJudgeArg(arg) : arg;
  switch (parsed.provider) {
    case "none":
      return null;
    case "groq": {
      const apiKey = env.groqApiKey?.trim();
      if (!apiKey) throw new Error(`judge groq:${parsed.model} needs GROQ_API_KEY; set it, or choose judge "ollama:<model>" or "none"`);
      return createGroqJudge({
        apiKey,
        model: parsed.model,
        ...(env.groqBaseUrl ? { baseURL: env.groqBaseUrl } : {}),
        ...(env.timeoutMs !== undefined ? { timeoutMs: env.timeoutMs } : {}),
        ...(env.backoff ? { backoff: env.backoff } : {}),
      });
    }
    case "ollama":
      return createOllamaJudge({
        host: env.ollamaHost,
        model: parsed.model,
        ...(env.timeoutMs !== undefined ? { timeoutMs: env.timeoutMs } : {}),
        ...(env.backoff ? { backoff: env.backoff } : {}),
      });
  }
}
