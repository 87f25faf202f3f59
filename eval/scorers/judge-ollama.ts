import type { Judge, JudgeSpec, JudgeVerdict } from "@/eval/types";
import { ollamaClientWithSignals } from "@/lib/inference/net";
import type { RetryDecision } from "@/lib/async/backoff";
import { withJudgeBackoff, type JudgeBackoffOptions } from "./backoff";
import { DEFAULT_JUDGE_PROMPTS, renderJudgePrompt, type JudgePrompts } from "./judge-prompt";
import { storedOverrides, type JudgeProvider } from "./judge-provider";
import { toJudgeVerdict } from "./judge-verdict";

export const DEFAULT_OLLAMA_JUDGE_MAX_TOKENS = 1024;

export type OllamaJudgeOptions = {
  host: string;
  model: string;
  /**
   * Whole request, default 120 s. A local model may need a cold load first; undici gives up anyway after 300 s
   * without headers, and a non-streaming call gets headers only when the reply is complete.
   */
  timeoutMs?: number;
  maxTokens?: number;
  /** Default: today's prompts; a resumed run passes the ones stored with it. */
  prompts?: JudgePrompts;
  backoff?: JudgeBackoffOptions;
};

/** Set when our own per-request timer fired, so the retry decision can tell it from the caller's abort. */
class JudgeTimeoutError extends Error {
  override name = "JudgeTimeoutError";
}

/** 429/5xx (503 = Ollama's queue is full), our timeout, and connection failures are worth another try. */
export function ollamaRetryDecision(err: unknown): RetryDecision {
  if (err instanceof JudgeTimeoutError) return { retry: true };
  const e = err as { name?: unknown; status_code?: unknown } | null;
  if (e?.name === "ResponseError" && typeof e.status_code === "number") {
    return { retry: e.status_code === 429 || e.status_code === 408 || e.status_code >= 500 };
  }
  // undici: `TypeError: fetch failed` with the socket error as cause (refused, reset, closed mid-reply). A cause
  // without a code is fetch refusing the URL itself (e.g. "bad port"): retrying cannot help.
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    return { retry: typeof code === "string" };
  }
  return { retry: false };
}

export function describeOllamaError(err: unknown): string {
  const e = err as {
    name?: unknown;
    status_code?: unknown;
    message?: unknown;
    cause?: { code?: unknown; message?: unknown };
  } | null;
  if (e?.name === "ResponseError" && typeof e.status_code === "number")
    return `Ollama ${e.status_code}: ${String(e.message)}`;
  if (err instanceof TypeError && e?.cause) {
    const why = typeof e.cause.code === "string" ? e.cause.code : String(e.cause.message);
    return `Ollama connection failed: ${why}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export function createOllamaJudge(opts: OllamaJudgeOptions): Judge {
  if (!opts.model) throw new Error("createOllamaJudge: model is required");
  const host = opts.host.replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const maxTokens = opts.maxTokens ?? DEFAULT_OLLAMA_JUDGE_MAX_TOKENS;
  const spec: JudgeSpec = {
    provider: "ollama",
    model: opts.model,
    ...(opts.prompts ?? DEFAULT_JUDGE_PROMPTS),
    // Ollama's format:"json" constrains output to JSON like Groq's json_object, so it is recorded the same way.
    params: { temperature: 0, maxTokens, responseFormat: "json_object" },
  };

  async function once(system: string, user: string, attempt: number, signal: AbortSignal): Promise<JudgeVerdict> {
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new JudgeTimeoutError(`Ollama judge did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // The ollama client takes no per-call signal for non-streaming calls; a fetch wrapper is the only way in.
    const client = ollamaClientWithSignals(host, [signal, timeout.signal]);
    try {
      const res = await client.chat({
        model: opts.model,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
        stream: false,
        format: "json",
        options: { temperature: 0, num_predict: maxTokens },
      });
      const note = res.done_reason === "length" ? "the reply was cut off at max tokens" : undefined;
      return toJudgeVerdict(res.message?.content ?? "", attempt, note);
    } catch (err) {
      if (timeout.signal.aborted && !signal.aborted) throw timeout.signal.reason;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    spec,
    id: `ollama:${opts.model}`,
    judge(input, signal) {
      const { system, user } = renderJudgePrompt(input, spec);
      const policy = { isRetryable: ollamaRetryDecision, describe: describeOllamaError };
      return withJudgeBackoff((attempt) => once(system, user, attempt, signal), opts.backoff, policy, signal);
    },
  };
}

export const ollamaJudgeProvider: JudgeProvider = {
  example: "ollama:qwen3:8b",
  unavailableBecause: () => null,
  create: (model, env, stored) =>
    createOllamaJudge({
      host: env.ollamaHost,
      model,
      ...(env.timeoutMs !== undefined ? { timeoutMs: env.timeoutMs } : {}),
      ...(env.backoff ? { backoff: env.backoff } : {}),
      ...storedOverrides(stored),
    }),
};
