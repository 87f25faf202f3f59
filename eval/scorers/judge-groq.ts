import Groq, { APIConnectionError, APIError, APIUserAbortError } from "groq-sdk";
import type { Judge, JudgeSpec, JudgeVerdict } from "@/eval/types";
import { parseRetryAfter, type RetryDecision } from "@/lib/async/backoff";
import { withJudgeBackoff, type JudgeBackoffOptions } from "./backoff";
import { DEFAULT_JUDGE_PROMPTS, renderJudgePrompt, type JudgePrompts } from "./judge-prompt";
import { storedOverrides, type JudgeProvider } from "./judge-provider";
import { toJudgeVerdict } from "./judge-verdict";

/** Mixtral (the earlier judge) and Llama 3.x are retired on Groq; gpt-oss-120b is a current production model. */
export const DEFAULT_GROQ_JUDGE_MODEL = "openai/gpt-oss-120b";
export const DEFAULT_GROQ_BASE_URL = "https://api.groq.com";
/** gpt-oss spends completion tokens on hidden reasoning before the JSON, so the budget is well above the verdict's size. */
export const DEFAULT_GROQ_JUDGE_MAX_TOKENS = 2048;

export type GroqJudgeOptions = {
  apiKey: string;
  model?: string;
  /** Default https://api.groq.com (the SDK appends /openai/v1/...); a stand-in passes http://127.0.0.1:PORT. */
  baseURL?: string;
  /** Per request; a timeout counts as a retryable failure. Default 60 s. */
  timeoutMs?: number;
  maxTokens?: number;
  /** Default: today's prompts; a resumed run passes the ones stored with it. */
  prompts?: JudgePrompts;
  backoff?: JudgeBackoffOptions;
};

/** Groq's error body: `{"error": {"message", "type", "code", "failed_generation"?}}`, kept by the SDK as `err.error`. */
type GroqErrorBody = { message?: unknown; type?: unknown; code?: unknown; failed_generation?: unknown };

function groqErrorBody(err: APIError): GroqErrorBody | null {
  const body = err.error as { error?: unknown } | undefined;
  const inner = body?.error;
  return typeof inner === "object" && inner !== null ? (inner as GroqErrorBody) : null;
}

/** 498 is Groq's "flex tier capacity exceeded": a capacity problem like 503, so it is retried too. */
const RETRYABLE_STATUSES = new Set([408, 409, 429, 498]);

export function groqRetryDecision(err: unknown): RetryDecision {
  if (err instanceof APIUserAbortError) return { retry: false };
  // Includes APIConnectionTimeoutError: our own per-request timeout.
  if (err instanceof APIConnectionError) return { retry: true };
  if (err instanceof APIError && typeof err.status === "number") {
    if (!RETRYABLE_STATUSES.has(err.status) && err.status < 500) return { retry: false };
    const retryAfterMs = err.headers ? parseRetryAfter((h) => err.headers?.get(h)) : undefined;
    return retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs };
  }
  return { retry: false };
}

export function describeGroqError(err: unknown): string {
  if (err instanceof APIError && typeof err.status === "number") {
    const body = groqErrorBody(err);
    const message = typeof body?.message === "string" ? body.message : err.message;
    const code = typeof body?.code === "string" ? ` ${body.code}` : "";
    return `Groq ${err.status}${code}: ${message}`;
  }
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : "";
    return `Groq connection failed: ${err.message}${cause}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Groq refuses to return text that fails its JSON check (400 json_validate_failed, not retried by anyone). The
 * model's text comes back as `failed_generation`; it goes through the same parser as a normal reply — often it is
 * a verdict wrapped in prose or a fence, which the parser reads without guessing. We do not retry without json mode:
 * that would grade some answers under different settings than the JudgeSpec stored with the run.
 */
function verdictFromJsonValidateFailed(err: unknown, attempts: number): JudgeVerdict | null {
  if (!(err instanceof APIError) || err.status !== 400) return null;
  const body = groqErrorBody(err);
  if (body?.code !== "json_validate_failed") return null;
  const raw = typeof body.failed_generation === "string" ? body.failed_generation : "";
  return toJudgeVerdict(
    raw,
    attempts,
    `Groq json_validate_failed: ${typeof body.message === "string" ? body.message : err.message}`,
  );
}

export function createGroqJudge(opts: GroqJudgeOptions): Judge {
  if (!opts.apiKey) throw new Error("createGroqJudge: apiKey is required (GROQ_API_KEY)");
  const model = opts.model ?? DEFAULT_GROQ_JUDGE_MODEL;
  const maxTokens = opts.maxTokens ?? DEFAULT_GROQ_JUDGE_MAX_TOKENS;
  // maxRetries 0: the SDK would obey any retry-after, however long (see backoff.ts).
  const client = new Groq({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL ?? DEFAULT_GROQ_BASE_URL,
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 60_000,
  });
  const spec: JudgeSpec = {
    provider: "groq",
    model,
    ...(opts.prompts ?? DEFAULT_JUDGE_PROMPTS),
    params: { temperature: 0, maxTokens, responseFormat: "json_object" },
  };

  async function once(system: string, user: string, attempt: number, signal: AbortSignal): Promise<JudgeVerdict> {
    try {
      const completion = await client.chat.completions.create(
        {
          model,
          messages: [
            { role: "system", content: system },
            { role: "user", content: user },
          ],
          temperature: 0,
          max_completion_tokens: maxTokens,
          response_format: { type: "json_object" },
        },
        { signal },
      );
      const choice = completion.choices[0];
      const raw = choice?.message.content ?? "";
      const note = choice?.finish_reason === "length" ? "the reply was cut off at max tokens" : undefined;
      return toJudgeVerdict(raw, attempt, note);
    } catch (err) {
      const verdict = verdictFromJsonValidateFailed(err, attempt);
      if (verdict) return verdict;
      throw err;
    }
  }

  return {
    spec,
    id: `groq:${model}`,
    judge(input, signal) {
      const { system, user } = renderJudgePrompt(input, spec);
      const policy = { isRetryable: groqRetryDecision, describe: describeGroqError };
      return withJudgeBackoff((attempt) => once(system, user, attempt, signal), opts.backoff, policy, signal);
    },
  };
}

export const groqJudgeProvider: JudgeProvider = {
  example: `groq:${DEFAULT_GROQ_JUDGE_MODEL}`,
  unavailableBecause: (env) =>
    env.groqApiKey?.trim() ? null : 'needs GROQ_API_KEY; set it, or choose judge "ollama:<model>" or "none"',
  create: (model, env, stored) =>
    createGroqJudge({
      apiKey: env.groqApiKey?.trim() ?? "",
      model,
      ...(env.groqBaseUrl ? { baseURL: env.groqBaseUrl } : {}),
      ...(env.timeoutMs !== undefined ? { timeoutMs: env.timeoutMs } : {}),
      ...(env.backoff ? { backoff: env.backoff } : {}),
      ...storedOverrides(stored),
    }),
};
