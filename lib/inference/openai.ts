import "server-only";
import { AppError, isAbortError } from "@/lib/errors";
import { readSseFrames } from "@/lib/sse/decode";
import type {
  BackendHealth,
  GenerateEvent,
  TokenLogprob,
  GenerateRequest,
  GenerateStats,
  InferenceBackend,
  ModelInfo,
} from "./types";
import { networkCode } from "./net";
import { inactivityWatchdog } from "./watchdog";

/**
 * A backend for any server speaking the OpenAI HTTP API: vLLM (`vllm serve`), llama.cpp's `llama-server`,
 * or OpenAI itself. Raw prompts (the fine-tune's training format) go to the legacy `/completions` endpoint
 * untemplated; chat prompts go to `/chat/completions`, where the server applies the model's chat template.
 * Plain `fetch` (undici): no SDK, so every request carries our AbortSignal and nothing retries behind our back.
 */

export type OpenAiCompatibleBackendOptions = {
  /** The API root including its version prefix, e.g. http://vllm:8000/v1 or https://api.openai.com/v1. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set (vLLM's --api-key, OpenAI's key). */
  apiKey?: string;
  /** No bytes from the server for this long (including the wait for the first token) → upstream_timeout. */
  timeoutMs: number;
  /** Bound on quick metadata calls (GET /models). Default 5000. */
  metadataTimeoutMs?: number;
  /**
   * `stop` sent with raw prompts; default the fine-tune's turn markers, as the Ollama Modelfile sets them.
   * Servers that strip special tokens from the text (vLLM) stop on the model's EOS ids instead. [] sends none.
   */
  rawStop?: string[];
};

export const DEFAULT_RAW_STOP: readonly string[] = ["<end_of_turn>", "<start_of_turn>"];

const BASE_URL_HINT = "OPENAI_BASE_URL includes the API's version prefix, e.g. http://vllm:8000/v1";

/** A non-2xx answer, before it is mapped to an AppError. */
class UpstreamHttpError extends Error {
  override name = "UpstreamHttpError";
  constructor(
    readonly status: number,
    readonly path: string,
    readonly detail: { message: string; type: string | null; code: string | number | null },
  ) {
    super(`HTTP ${status}${detail.message ? `: ${detail.message}` : ""}`);
  }
}

/** The stream itself reported a failure, or ended before the reply was complete. */
class UpstreamStreamError extends Error {
  override name = "UpstreamStreamError";
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const str = (x: unknown): string | null => (typeof x === "string" ? x : null);
const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

/**
 * The message of an OpenAI-style error body, whichever dialect: OpenAI and newer vLLM
 * `{"error":{"message","type","code"}}`, older vLLM `{"object":"error","message","type","code"}`,
 * vLLM's API-key middleware `{"error":"Unauthorized"}`, FastAPI `{"detail": …}`, or plain text.
 */
export function parseErrorBody(
  body: unknown,
  text = "",
): { message: string; type: string | null; code: string | number | null } {
  const codeOf = (x: unknown) => (typeof x === "string" || typeof x === "number" ? x : null);
  if (isRecord(body)) {
    if (isRecord(body.error)) {
      return { message: str(body.error.message) ?? "", type: str(body.error.type), code: codeOf(body.error.code) };
    }
    if (typeof body.error === "string") return { message: body.error, type: null, code: null };
    if (typeof body.message === "string")
      return { message: body.message, type: str(body.type), code: codeOf(body.code) };
    if (body.detail !== undefined) {
      return {
        message: typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail),
        type: null,
        code: null,
      };
    }
  }
  return { message: text.trim().slice(0, 500), type: null, code: null };
}

async function readHttpError(res: Response, path: string): Promise<UpstreamHttpError> {
  let text = "";
  try {
    text = await res.text();
  } catch {
    // the body is only for the message
  }
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: use the text
  }
  return new UpstreamHttpError(res.status, path, parseErrorBody(body, text || res.statusText));
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function isModelNotFound(e: UpstreamHttpError): boolean {
  if (e.status !== 404) return false;
  const { message, code } = e.detail;
  return code === "model_not_found" || (/model/i.test(message) && /does not exist|not found/i.test(message));
}

type ErrorContext = {
  baseUrl: string;
  model?: string;
  /** The inactivity watchdog fired. */
  timedOut: boolean;
  /** The caller's own signal: its abort is passed through, not reported. */
  signal?: AbortSignal;
};

/** Maps whatever fetch, the HTTP status or the stream produced to an AppError with a stable code. */
export function mapOpenAiError(err: unknown, ctx: ErrorContext): unknown {
  const where = `the OpenAI-compatible server at ${ctx.baseUrl}`;
  if (err instanceof AppError) return err;
  if (ctx.timedOut)
    return new AppError(
      "upstream_timeout",
      `The OpenAI-compatible server at ${ctx.baseUrl} sent nothing for too long.`,
      { cause: err },
    );
  if (ctx.signal?.aborted || isAbortError(err)) return err; // the caller aborted: not an error to report
  if (err instanceof Error && err.name === "TimeoutError") {
    return new AppError("upstream_timeout", `The OpenAI-compatible server at ${ctx.baseUrl} did not answer in time.`, {
      cause: err,
    });
  }
  if (err instanceof UpstreamHttpError) {
    const { status, detail } = err;
    const said = detail.message ? `: ${detail.message}` : "";
    if (isModelNotFound(err) && ctx.model) {
      return new AppError("model_not_found", `Model '${ctx.model}' is not served by ${where}.`, {
        fix: `Serve it under that name (vLLM: \`--served-model-name ${ctx.model}\`), or choose a model listed by GET ${ctx.baseUrl}/models.`,
        cause: err,
      });
    }
    if (status === 401 || status === 403) {
      return new AppError("upstream_error", `${capitalize(where)} refused the request (${status}${said}).`, {
        fix: "Set OPENAI_API_KEY to the key the server expects (vLLM: the value of `--api-key`).",
        cause: err,
      });
    }
    if (status === 404) {
      return new AppError("upstream_error", `${capitalize(where)} has no ${err.path} (404${said}).`, {
        fix: `Check OPENAI_BASE_URL: ${BASE_URL_HINT}.`,
        cause: err,
      });
    }
    if (status === 429) {
      return new AppError("upstream_error", `${capitalize(where)} is rate-limiting requests (429${said}).`, {
        fix: "Retry in a moment, or lower the eval run's concurrency.",
        cause: err,
      });
    }
    return new AppError("upstream_error", `${capitalize(where)} answered ${status}${said}`, { cause: err });
  }
  const code = networkCode(err);
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    if (code === "UND_ERR_HEADERS_TIMEOUT") {
      return new AppError("upstream_timeout", `${capitalize(where)} sent no response headers in time.`, { cause: err });
    }
    if (code === undefined || UNREACHABLE.has(code)) {
      return new AppError("upstream_unavailable", `Cannot reach ${where}${code ? ` (${code})` : ""}.`, {
        fix: `Start the model server (e.g. \`vllm serve …\`) and check OPENAI_BASE_URL; ${BASE_URL_HINT}.`,
        cause: err,
      });
    }
    return new AppError("upstream_error", `The connection to ${where} failed (${code}).`, { cause: err });
  }
  // An error event mid-stream, a stream cut before [DONE], or a socket reset while reading.
  const msg = err instanceof Error ? err.message : String(err);
  const detail = code && !msg.includes(code) ? `${msg} (${code})` : msg;
  return new AppError("upstream_error", `${capitalize(where)} failed while generating: ${detail}`, { cause: err });
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The error an SSE data object carries, if any (`{"error": …}` or vLLM's older `{"object":"error", …}`). */
function streamError(obj: Record<string, unknown>): string | null {
  if (obj.error !== undefined && obj.error !== null) {
    const { message } = parseErrorBody(obj);
    return message || JSON.stringify(obj.error);
  }
  if (obj.object === "error") return parseErrorBody(obj).message || "unknown error";
  return null;
}

/**
 * A stream choice's `logprobs` in the backend-neutral shape. Completions: `{tokens, token_logprobs, top_logprobs:
 * [{token: logprob}]}`; chat completions: `{content: [{token, logprob, top_logprobs: [{token, logprob}]}]}`. Anything
 * else (absent, null, another shape) gives none, which only means no probabilities for this answer.
 */
export function choiceLogprobs(logprobs: unknown): { logprobs?: TokenLogprob[] } {
  if (!isRecord(logprobs)) return {};
  if (Array.isArray(logprobs.content)) {
    const entries = logprobs.content.filter(isRecord).map((c) => ({
      token: str(c.token) ?? "",
      logprob: num(c.logprob) ?? Number.NEGATIVE_INFINITY,
      top: (Array.isArray(c.top_logprobs) ? c.top_logprobs.filter(isRecord) : []).map((t) => ({
        token: str(t.token) ?? "",
        logprob: num(t.logprob) ?? Number.NEGATIVE_INFINITY,
      })),
    }));
    return entries.length ? { logprobs: entries } : {};
  }
  if (Array.isArray(logprobs.tokens)) {
    const own = Array.isArray(logprobs.token_logprobs) ? logprobs.token_logprobs : [];
    const tops = Array.isArray(logprobs.top_logprobs) ? logprobs.top_logprobs : [];
    const entries = logprobs.tokens.map((token, i) => {
      const top = tops[i];
      return {
        token: typeof token === "string" ? token : "",
        logprob: num(own[i]) ?? Number.NEGATIVE_INFINITY,
        top: isRecord(top)
          ? Object.entries(top).map(([t, lp]) => ({ token: t, logprob: num(lp) ?? Number.NEGATIVE_INFINITY }))
          : [],
      };
    });
    return entries.length ? { logprobs: entries } : {};
  }
  return {};
}

export class OpenAiCompatibleBackend implements InferenceBackend {
  readonly name = "openai";
  private readonly baseUrl: string;

  constructor(private readonly opts: OpenAiCompatibleBackendOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
  }

  private headers(accept: string): Record<string, string> {
    return {
      Accept: accept,
      ...(this.opts.apiKey ? { Authorization: `Bearer ${this.opts.apiKey}` } : {}),
    };
  }

  private metaSignal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.opts.metadataTimeoutMs ?? 5000);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  /** The request body: OpenAI's names for our options. numCtx has no per-request equivalent (vLLM: --max-model-len). */
  private body(request: GenerateRequest): Record<string, unknown> {
    const { options: o, prompt } = request;
    const rawStop = this.opts.rawStop ?? DEFAULT_RAW_STOP;
    return {
      model: request.model,
      ...(prompt.kind === "raw"
        ? { prompt: prompt.text, ...(rawStop.length > 0 && { stop: [...rawStop] }) }
        : { messages: prompt.messages }),
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: o.maxTokens,
      ...(o.temperature !== undefined && { temperature: o.temperature }),
      ...(o.topP !== undefined && { top_p: o.topP }),
      ...(o.seed !== undefined && { seed: o.seed }),
      // Completions take `logprobs: k`; chat completions `logprobs: true` with `top_logprobs: k` (both cap k at 20).
      ...(o.topLogprobs &&
        (prompt.kind === "raw"
          ? { logprobs: Math.min(20, o.topLogprobs) }
          : { logprobs: true, top_logprobs: Math.min(20, o.topLogprobs) })),
    };
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent, void, undefined> {
    const watchdog = inactivityWatchdog(this.opts.timeoutMs);
    // Aborted when the consumer stops iterating early, so the server sees a disconnect then too.
    const local = new AbortController();
    const path = request.prompt.kind === "raw" ? "/completions" : "/chat/completions";
    let completed = false;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method: "POST",
        headers: { ...this.headers("text/event-stream"), "Content-Type": "application/json" },
        body: JSON.stringify(this.body(request)),
        signal: AbortSignal.any([signal, watchdog.signal, local.signal]),
      });
      watchdog.feed();
      if (!res.ok) throw await readHttpError(res, path);
      if (!res.body) throw new UpstreamStreamError("the response has no body");

      let sawDone = false;
      let finishReason: string | null = null;
      let usage: Record<string, unknown> | null = null;
      for await (const frame of readSseFrames(res.body)) {
        watchdog.feed();
        if (frame.data === "[DONE]") {
          sawDone = true;
          break;
        }
        let obj: unknown;
        try {
          obj = JSON.parse(frame.data);
        } catch {
          throw new UpstreamStreamError(`unreadable stream event: ${frame.data.slice(0, 200)}`);
        }
        if (!isRecord(obj)) throw new UpstreamStreamError(`unexpected stream event: ${frame.data.slice(0, 200)}`);
        const failure = frame.event === "error" ? (streamError(obj) ?? frame.data) : streamError(obj);
        if (failure !== null) throw new UpstreamStreamError(failure);
        if (isRecord(obj.usage)) usage = obj.usage;
        const choice = Array.isArray(obj.choices) ? obj.choices[0] : undefined;
        if (!isRecord(choice)) continue;
        const text = str(choice.text) ?? (isRecord(choice.delta) ? str(choice.delta.content) : null);
        if (text) yield { type: "text", text, ...choiceLogprobs(choice.logprobs) };
        finishReason = str(choice.finish_reason) ?? finishReason;
      }
      // A finish_reason without [DONE] is a complete reply from a terse server; neither means the stream was cut.
      if (!sawDone && finishReason === null) {
        throw new UpstreamStreamError("the stream ended before the reply was complete");
      }
      void res.body.cancel().catch(() => {});
      const stats: GenerateStats = {
        evalCount: num(usage?.completion_tokens),
        promptEvalCount: num(usage?.prompt_tokens),
        evalMs: null,
        doneReason: finishReason,
      };
      completed = true;
      yield { type: "done", stats };
    } catch (err) {
      throw mapOpenAiError(err, {
        baseUrl: this.baseUrl,
        model: request.model,
        timedOut: watchdog.signal.aborted,
        signal,
      });
    } finally {
      watchdog.stop();
      if (!completed) local.abort();
    }
  }

  private async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      headers: this.headers("application/json"),
      signal: this.metaSignal(signal),
    });
    if (!res.ok) throw await readHttpError(res, path);
    try {
      return await res.json();
    } catch (err) {
      if (isAbortError(err) || (err instanceof Error && err.name === "TimeoutError")) throw err;
      throw new UpstreamStreamError(`GET ${path} did not answer JSON`);
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const body = await this.getJson("/models", signal);
      const data = isRecord(body) && Array.isArray(body.data) ? body.data : null;
      if (!data)
        throw new AppError(
          "upstream_error",
          `GET ${this.baseUrl}/models did not answer a model list. ${BASE_URL_HINT}.`,
        );
      return data
        .filter((m): m is Record<string, unknown> => isRecord(m) && typeof m.id === "string")
        .map((m) => ({ name: m.id as string, sizeBytes: null, family: null, parameterSize: null, quantization: null }));
    } catch (err) {
      throw mapOpenAiError(err, { baseUrl: this.baseUrl, timedOut: false, signal });
    }
  }

  /** Exact names: vLLM serves a model under its `--served-model-name` (default: the path or repo given). */
  async hasModel(model: string, signal?: AbortSignal): Promise<boolean> {
    const models = await this.listModels(signal);
    return models.some((m) => m.name === model);
  }

  async health(signal?: AbortSignal): Promise<BackendHealth> {
    try {
      const models = await this.listModels(signal);
      const detail = models.length === 0 ? `The server at ${this.baseUrl} lists no models.` : null;
      return { backend: this.name, reachable: true, version: null, detail };
    } catch (err) {
      const detail =
        err instanceof Error && err.message
          ? err.message
          : `Cannot reach the OpenAI-compatible server at ${this.baseUrl}.`;
      return { backend: this.name, reachable: false, version: null, detail };
    }
  }
}
