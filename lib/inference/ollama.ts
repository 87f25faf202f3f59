import "server-only";
import { AppError, isAbortError } from "@/lib/errors";
import type { BackendHealth, GenerateEvent, GenerateRequest, InferenceBackend, ModelInfo } from "./types";
import { networkCode, ollamaClientWithSignals as clientWithSignals } from "./net";
import { inactivityWatchdog } from "./watchdog";

export type OllamaBackendOptions = {
  host: string;
  /** No bytes from Ollama for this long (including the wait for the first token) → upstream_timeout. */
  timeoutMs: number;
  /** Bound on quick metadata calls (tags, show, version). */
  metadataTimeoutMs?: number;
};

/** Maps whatever the ollama client threw to an AppError with a stable code. */
export function mapOllamaError(err: unknown, ctx: { host: string; model?: string; timedOut: boolean }): unknown {
  if (err instanceof AppError) return err;
  if (ctx.timedOut) {
    return new AppError("upstream_timeout", `Ollama at ${ctx.host} sent nothing for too long.`, { cause: err });
  }
  if (isAbortError(err)) return err; // the caller aborted: not an error to report
  if (err instanceof Error && err.name === "TimeoutError") {
    return new AppError("upstream_timeout", `Ollama at ${ctx.host} did not answer in time.`, { cause: err });
  }
  const e = err as { name?: string; status_code?: number; message?: string };
  if (e?.name === "ResponseError" && typeof e.status_code === "number") {
    const message = e.message ?? "";
    if (e.status_code === 404 && /not found/i.test(message) && ctx.model) {
      return new AppError("model_not_found", `Model '${ctx.model}' is not available in Ollama at ${ctx.host}.`, {
        fix: `Pull it with \`ollama pull ${ctx.model}\`, or choose another model.`,
        cause: err,
      });
    }
    return new AppError("upstream_error", `Ollama answered ${e.status_code}: ${message}`, { cause: err });
  }
  const code = networkCode(err);
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    const refused = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "EAI_AGAIN";
    if (refused || code === undefined) {
      return new AppError("upstream_unavailable", `Cannot reach Ollama at ${ctx.host}${code ? ` (${code})` : ""}.`, {
        cause: err,
      });
    }
    return new AppError("upstream_error", `The connection to Ollama failed (${code}).`, { cause: err });
  }
  // A mid-stream `{"error": ...}` line, a stream cut before `done`, or a socket reset while reading.
  const msg = err instanceof Error ? err.message : String(err);
  return new AppError("upstream_error", `Ollama failed while generating: ${msg}`, { cause: err });
}

/** Ollama's per-chunk `logprobs` ([{token, logprob, top_logprobs}]) in the backend-neutral shape; absent stays absent. */
function tokenLogprobs(
  logprobs: { token: string; logprob: number; top_logprobs?: { token: string; logprob: number }[] }[] | undefined,
) {
  if (!logprobs || logprobs.length === 0) return {};
  return {
    logprobs: logprobs.map((l) => ({
      token: l.token,
      logprob: l.logprob,
      // The alternatives are already {token, logprob}: kept as they came (this runs for every token).
      top: l.top_logprobs ?? [],
    })),
  };
}

export class OllamaBackend implements InferenceBackend {
  readonly name = "ollama";
  constructor(private readonly opts: OllamaBackendOptions) {}

  private metaSignal(signal?: AbortSignal): AbortSignal[] {
    const timeout = AbortSignal.timeout(this.opts.metadataTimeoutMs ?? 5000);
    return signal ? [signal, timeout] : [timeout];
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent, void, undefined> {
    const watchdog = inactivityWatchdog(this.opts.timeoutMs);
    const client = clientWithSignals(this.opts.host, [signal, watchdog.signal]);
    const { options: o } = request;
    const options = {
      num_predict: o.maxTokens,
      ...(o.seed !== undefined && { seed: o.seed }),
      ...(o.temperature !== undefined && { temperature: o.temperature }),
      ...(o.topP !== undefined && { top_p: o.topP }),
      ...(o.numCtx !== undefined && { num_ctx: o.numCtx }),
    };
    // Top-level request fields (Ollama 0.12.11+); older servers ignore them and send no logprobs.
    const logprobs = o.topLogprobs ? { logprobs: true, top_logprobs: Math.min(20, o.topLogprobs) } : {};
    try {
      const stream =
        request.prompt.kind === "raw"
          ? await client.generate({
              model: request.model,
              prompt: request.prompt.text,
              raw: true,
              stream: true,
              options,
              ...logprobs,
            })
          : await client.chat({
              model: request.model,
              messages: request.prompt.messages,
              stream: true,
              options,
              ...logprobs,
            });
      for await (const chunk of stream) {
        watchdog.feed();
        const text = "message" in chunk ? chunk.message.content : chunk.response;
        if (text) yield { type: "text", text, ...tokenLogprobs(chunk.logprobs) };
        if (chunk.done) {
          yield {
            type: "done",
            stats: {
              evalCount: chunk.eval_count ?? null,
              promptEvalCount: chunk.prompt_eval_count ?? null,
              evalMs: chunk.eval_duration ? chunk.eval_duration / 1e6 : null,
              doneReason: chunk.done_reason ?? null,
            },
          };
          return;
        }
      }
    } catch (err) {
      throw mapOllamaError(err, { host: this.opts.host, model: request.model, timedOut: watchdog.signal.aborted });
    } finally {
      watchdog.stop();
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const client = clientWithSignals(this.opts.host, this.metaSignal(signal));
    try {
      const { models } = await client.list();
      return models.map((m) => ({
        name: m.name,
        sizeBytes: typeof m.size === "number" ? m.size : null,
        family: m.details?.family ?? null,
        parameterSize: m.details?.parameter_size ?? null,
        quantization: m.details?.quantization_level ?? null,
      }));
    } catch (err) {
      throw mapOllamaError(err, { host: this.opts.host, timedOut: false });
    }
  }

  async hasModel(model: string, signal?: AbortSignal): Promise<boolean> {
    const client = clientWithSignals(this.opts.host, this.metaSignal(signal));
    try {
      await client.show({ model });
      return true;
    } catch (err) {
      const mapped = mapOllamaError(err, { host: this.opts.host, model, timedOut: false });
      if (mapped instanceof AppError && mapped.code === "model_not_found") return false;
      throw mapped;
    }
  }

  async health(signal?: AbortSignal): Promise<BackendHealth> {
    const client = clientWithSignals(this.opts.host, this.metaSignal(signal));
    try {
      const { version } = await client.version();
      return { backend: this.name, reachable: true, version, detail: null };
    } catch (err) {
      const mapped = mapOllamaError(err, { host: this.opts.host, timedOut: false });
      const detail = mapped instanceof Error ? mapped.message : `Cannot reach Ollama at ${this.opts.host}.`;
      return { backend: this.name, reachable: false, version: null, detail };
    }
  }
}
