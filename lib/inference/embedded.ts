import "server-only";
import type { LlamaCompletion, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { abortReason, raceAbort } from "@/lib/async/abort";
import { AppError, isAbortError } from "@/lib/errors";
import { log } from "@/lib/observability/log";
import { sameModel } from "@/lib/models/ref";
import { Channel } from "./embedded-channel";
import { answerTokenIndex, measureStep } from "./embedded-logprobs";
import {
  checkModelFile,
  getEngine,
  lastLoadError,
  peekEngine,
  slotsFor,
  type Engine,
  type EngineOptions,
} from "./embedded-engine";
import { GEMMA_END_OF_TURN, renderGemmaChat } from "./embedded-gemma";
import type { SlotStats } from "@/lib/async/slot-queue";
import type {
  BackendHealth,
  GenerateEvent,
  GenerateRequest,
  GenerateStats,
  InferenceBackend,
  ModelInfo,
  Prompt,
} from "./types";

export { disposeEmbeddedEngines } from "./embedded-engine";
export type { SlotStats } from "@/lib/async/slot-queue";

export type EmbeddedBackendOptions = {
  /** The GGUF file (MEDGPT_GGUF, or the file `pullModel` returned). */
  modelPath: string;
  /** The name this model answers to in listModels/hasModel/generate, e.g. MEDGPT_MODEL. */
  modelName: string;
  gpu: "auto" | false;
  /** Tokens per sequence (prompt + reply). Default 2048. */
  contextSize?: number;
  /** Parallel generations (context sequences); more requests wait in a FIFO queue. Default 2. */
  sequences?: number;
  /** Most requests allowed to wait for a sequence; more are refused as busy. Default 64. */
  queueLimit?: number;
  /** CPU threads; default min(availableParallelism, math cores). 1 is best on a small, busy machine. */
  threads?: number;
  /** Extra stop strings besides Gemma's `<end_of_turn>` and `<start_of_turn>`. */
  stopTriggers?: string[];
  /** Sampling when a request leaves it unset; default MEDGPT_SAMPLING. */
  sampling?: Partial<SamplingDefaults>;
};

export type SamplingDefaults = { temperature: number; topP: number; topK: number };

/**
 * Used when a request leaves them unset: the PARAMETERs of docker/Modelfile (the MedGPT model as Ollama serves
 * it), so both backends sample alike. Override with `sampling` for another model (Ollama's own: 0.8/0.9/40).
 */
export const MEDGPT_SAMPLING: SamplingDefaults = { temperature: 0.2, topP: 0.9, topK: 40 };
/** As docker/Modelfile: the end of the model's turn, and a guard against it writing the next turn itself. */
const STOP_TRIGGERS = [GEMMA_END_OF_TURN, "<start_of_turn>"];

function mapGenerateError(err: unknown, signal: AbortSignal): unknown {
  if (err instanceof AppError) return err;
  if (signal.aborted) {
    const reason = abortReason(signal);
    if (reason.name === "TimeoutError") {
      return new AppError("upstream_timeout", "The embedded model did not finish in time.", { cause: reason });
    }
    return reason;
  }
  if (isAbortError(err)) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new AppError("upstream_error", `The embedded model failed while generating: ${msg}`, {
    fix: "Retry; if it persists, check the server logs (the model file may be damaged).",
    cause: err,
  });
}

/**
 * An in-process backend on node-llama-cpp: one GGUF model, loaded once per process, serving `sequences`
 * generations at a time (the rest queue in arrival order). Raw prompts are completed as-is with special
 * tokens parsed (as Ollama's `raw: true`); chat prompts are rendered with Gemma's turn template.
 * `options.numCtx` is ignored: the context size is fixed when the model loads (`contextSize`).
 */
export class EmbeddedBackend implements InferenceBackend {
  readonly name = "embedded";
  private readonly engineOptions: EngineOptions;

  constructor(private readonly opts: EmbeddedBackendOptions) {
    this.engineOptions = {
      modelPath: opts.modelPath,
      gpu: opts.gpu,
      contextSize: opts.contextSize ?? 2048,
      sequences: opts.sequences ?? 2,
      queueLimit: opts.queueLimit ?? 64,
      threads: opts.threads,
    };
  }

  /** Running/queued counts of this backend's context (shared by backends with the same file and shape). */
  stats(): SlotStats {
    return slotsFor(this.engineOptions).stats();
  }

  /** Loads the model now instead of on the first request. Throws AppError. */
  async warmUp(): Promise<void> {
    await getEngine(this.engineOptions);
  }

  private isOurs(model: string): boolean {
    return sameModel(model, this.opts.modelName);
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent, void, undefined> {
    if (!this.isOurs(request.model)) {
      throw new AppError(
        "model_not_found",
        `Model '${request.model}' is not served here: the embedded backend serves '${this.opts.modelName}'.`,
        {
          fix: `Ask for '${this.opts.modelName}', or use Ollama (OLLAMA_HOST) for other models.`,
        },
      );
    }
    if (signal.aborted) throw abortReason(signal);
    const engine = await raceAbort(getEngine(this.engineOptions), signal);
    let release: () => void;
    try {
      release = await slotsFor(this.engineOptions).acquire(signal);
    } catch (err) {
      // By name, not instanceof: after a Next dev reload the queue (kept on globalThis) predates this module.
      if (!(err instanceof Error && err.name === "QueueFullError")) throw err;
      throw new AppError("upstream_unavailable", `The embedded model is busy: ${err.message}.`, {
        fix: "Retry in a moment, or raise MEDGPT_EMBEDDED_SEQUENCES (more memory) or the queue limit.",
        cause: err,
      });
    }
    yield* this.run(engine, request, signal, release);
  }

  private async *run(engine: Engine, request: GenerateRequest, signal: AbortSignal, release: () => void) {
    const { model } = engine;
    const stop = new AbortController(); // also stops generation when the reader leaves early
    const both = AbortSignal.any([signal, stop.signal]);
    const channel = new Channel<string>();
    const onAbort = () => channel.fail(abortReason(signal));
    let sequence: LlamaContextSequence | undefined;
    let completion: LlamaCompletion | undefined;
    let finished: Promise<void> = Promise.resolve();
    try {
      signal.addEventListener("abort", onAbort, { once: true });
      sequence = engine.takeSequence();
      completion = new engine.llamaCpp.LlamaCompletion({ contextSequence: sequence });
      const text = promptText(request.prompt);
      const bos = model.tokens.shouldPrependBosToken && model.tokens.bos != null;
      const tokens = model.tokenize(text, true, bos ? "trimLeadingSpace" : undefined);
      const promptTokens = tokens.length + (bos ? 1 : 0);
      const room = sequence.contextSize - Math.max(1, Math.floor(sequence.contextSize / 10));
      if (promptTokens > room) {
        throw new AppError(
          "invalid_request",
          `The prompt is ${promptTokens} tokens; the embedded context holds ${room}.`,
          {
            fix: "Shorten the case, or raise MEDGPT_EMBEDDED_CONTEXT.",
          },
        );
      }
      const o = request.options;
      const sampling = { ...MEDGPT_SAMPLING, ...this.opts.sampling };
      const temperature = o.temperature ?? sampling.temperature;
      let evalCount = 0;
      const generated: Token[] = [];
      let firstAt: number | null = null;
      let lastAt = 0;
      const startedAt = performance.now();
      const generation = completion.generateCompletionWithMeta(tokens, {
        maxTokens: o.maxTokens,
        temperature,
        ...(temperature > 0 && { topP: o.topP ?? sampling.topP, topK: sampling.topK }),
        ...(o.seed !== undefined && { seed: o.seed }),
        customStopTriggers: [...STOP_TRIGGERS, ...(this.opts.stopTriggers ?? [])],
        // Stop when the context is full (reported as "length") rather than silently dropping the prompt's start.
        disableContextShift: true,
        signal: both,
        stopOnAbortSignal: true,
        onToken: (t: Token[]) => {
          lastAt = performance.now();
          firstAt ??= lastAt;
          evalCount += t.length;
          generated.push(...t);
        },
        onTextChunk: (chunk: string) => {
          if (!both.aborted && chunk) channel.push(chunk);
        },
      });
      finished = generation.then(
        () => channel.end(),
        (err: unknown) => channel.fail(mapGenerateError(err, signal)),
      );
      for await (const chunk of channel.drain()) yield { type: "text", text: chunk } satisfies GenerateEvent;
      const { metadata } = await generation;
      if (signal.aborted) throw abortReason(signal);
      const answerStep = o.topLogprobs
        ? await this.answerStep(sequence, model, promptTokens, generated, o.topLogprobs)
        : null;
      const endedAt = performance.now();
      const stats: GenerateStats = {
        evalCount,
        promptEvalCount: promptTokens,
        // Decode time per token, from the first to the last token, scaled to all evalCount tokens
        // (the first token's time is prompt evaluation, which Ollama reports separately).
        evalMs:
          firstAt !== null && evalCount > 1 ? ((lastAt - firstAt) * evalCount) / (evalCount - 1) : endedAt - startedAt,
        doneReason: metadata.stopReason === "maxTokens" ? "length" : "stop",
        ...(answerStep && { answerStep }),
      };
      yield { type: "done", stats } satisfies GenerateEvent;
    } catch (err) {
      throw mapGenerateError(err, signal);
    } finally {
      signal.removeEventListener("abort", onAbort);
      stop.abort();
      // The sequence and slot are freed when the native generation has really stopped, not when the reader left.
      void finished.finally(() => {
        completion?.dispose();
        if (sequence) engine.returnSequence(sequence);
        release();
      });
    }
  }

  /** The answer step's alternatives (embedded-logprobs.ts); a failure here costs the probabilities, never the answer. */
  private async answerStep(
    sequence: LlamaContextSequence,
    model: LlamaModel,
    promptLength: number,
    generated: Token[],
    topN: number,
  ) {
    const k = answerTokenIndex(model, generated);
    if (k < 0) return null;
    try {
      return await measureStep(sequence, model, promptLength, generated, k, topN);
    } catch (err) {
      log().warn({ err }, "could not measure the answer's probabilities");
      return null;
    }
  }

  async listModels(): Promise<ModelInfo[]> {
    let sizeBytes: number;
    try {
      ({ sizeBytes } = await checkModelFile(this.opts.modelPath));
    } catch {
      return [];
    }
    const engine = await peekEngine(this.engineOptions);
    // typeDescription reads like "gemma2 2B Q4_K_M" ("?B" when the size is unknown).
    const [family, size, quantization] = engine ? engine.model.typeDescription.split(" ") : [];
    return [
      {
        name: this.opts.modelName,
        sizeBytes,
        family: family ?? null,
        parameterSize: size && size !== "?B" ? size : null,
        quantization: quantization ?? null,
      },
    ];
  }

  async hasModel(model: string): Promise<boolean> {
    if (!this.isOurs(model)) return false;
    return (await this.listModels()).length > 0;
  }

  async health(): Promise<BackendHealth> {
    const path = this.opts.modelPath;
    const engine = await peekEngine(this.engineOptions);
    if (engine) {
      const device = engine.llama.gpu === false ? "CPU" : engine.llama.gpu;
      return {
        backend: this.name,
        reachable: true,
        version: `llama.cpp ${engine.llama.llamaCppRelease.release}`,
        detail: `${path} loaded on ${device} in ${Math.round(engine.loadMs)} ms`,
      };
    }
    try {
      const { sizeBytes, mtimeMs } = await checkModelFile(path);
      const failed = lastLoadError(path, mtimeMs);
      if (failed) return { backend: this.name, reachable: false, version: null, detail: failed.message };
      const mb = (sizeBytes / 1e6).toFixed(1);
      return { backend: this.name, reachable: true, version: null, detail: `${path} (${mb} MB) loads on first use` };
    } catch (err) {
      const detail = err instanceof AppError ? `${err.message} ${err.fix}` : String(err);
      return { backend: this.name, reachable: false, version: null, detail };
    }
  }
}

function promptText(prompt: Prompt): string {
  return prompt.kind === "raw" ? prompt.text : renderGemmaChat(prompt.messages);
}
