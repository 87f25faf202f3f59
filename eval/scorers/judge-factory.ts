import type { Judge, JudgeSpec } from "@/eval/types";
import type { JudgeEnv } from "./judge-provider";
import { isJudgeProviderId, JUDGE_PROVIDER_IDS, JUDGE_PROVIDERS, type JudgeProviderId } from "./judges";

export type { JudgeEnv };
export type JudgeArg = { provider: "none" } | { provider: JudgeProviderId; model: string };

const USAGE = `expected "none" or <provider>:<model> with a provider of ${JUDGE_PROVIDER_IDS.join(", ")} (e.g. ${JUDGE_PROVIDER_IDS.map((id) => JUDGE_PROVIDERS[id].example).join(" or ")})`;

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
  if (!isJudgeProviderId(provider)) throw new Error(`judge "${arg}": unknown provider "${provider}"; ${USAGE}`);
  if (model === "") throw new Error(`judge "${arg}" names no model; ${USAGE}`);
  if (/\s/.test(model)) throw new Error(`judge "${arg}": the model name must not contain spaces`);
  return { provider, model };
}

/** The judge for a parsed or raw judge argument, with today's prompts; null for "none". */
export function createJudge(arg: JudgeArg | string, env: JudgeEnv): Judge | null {
  const parsed = typeof arg === "string" ? parseJudgeArg(arg) : arg;
  if (parsed.provider === "none") return null;
  return buildJudge(parsed.provider, parsed.model, env);
}

/** The judge a run was created with, rebuilt from the spec stored with it (its prompts and parameters). */
export function judgeFromSpec(spec: JudgeSpec, env: JudgeEnv): Judge {
  return buildJudge(spec.provider, spec.model, env, spec);
}

function buildJudge(id: JudgeProviderId, model: string, env: JudgeEnv, stored?: JudgeSpec): Judge {
  const provider = JUDGE_PROVIDERS[id];
  const why = provider.unavailableBecause(env);
  if (why) throw new Error(`judge ${id}:${model} ${why}`);
  return provider.create(model, env, stored);
}

/** Each provider and whether this environment can use it: what the dashboard offers. */
export function judgeAvailability(
  env: JudgeEnv,
): { provider: JudgeProviderId; example: string; available: boolean; reason: string | null }[] {
  return JUDGE_PROVIDER_IDS.map((id) => {
    const reason = JUDGE_PROVIDERS[id].unavailableBecause(env);
    return { provider: id, example: JUDGE_PROVIDERS[id].example, available: reason === null, reason };
  });
}
