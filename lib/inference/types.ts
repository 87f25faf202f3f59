/**
 * The one seam between MedGPT and a model server. Routes, the eval runner and the CLI know nothing else
 * about models: a backend streams text for a prompt, lists models and reports health.
 */

import type { ModelInfo } from "@/lib/schemas/service";

export type { ModelInfo };

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** raw: the exact text is sent untemplated (the fine-tune's training format); chat: the server applies the model's template. */
export type Prompt = { kind: "raw"; text: string } | { kind: "chat"; messages: ChatMessage[] };

export type GenerateOptions = {
  seed?: number;
  temperature?: number;
  topP?: number;
  /** Upper bound on generated tokens. */
  maxTokens: number;
  numCtx?: number;
  /**
   * Ask for each generated token's log-probability and this many top alternatives (Ollama and OpenAI-compatible
   * servers cap it at 20). Backends that cannot give them, or servers too old to, send none: never an error.
   */
  topLogprobs?: number;
};

export type GenerateRequest = { model: string; prompt: Prompt; options: GenerateOptions };

export type GenerateStats = {
  /** Tokens generated, when the backend reports it. */
  evalCount: number | null;
  promptEvalCount: number | null;
  /** Time the backend spent generating, in ms, when reported (Ollama's eval_duration). */
  evalMs: number | null;
  doneReason: string | null;
  /**
   * The backend that served the request, when the generating backend is a chooser (MEDGPT_BACKEND=auto) whose
   * `name` is shared by concurrent requests. Absent: the backend's own `name`.
   */
  backend?: string;
  /**
   * A backend that measures only the answer step instead of every token (the embedded engine): that token's
   * log-probability and alternatives, and where its text starts in the reply.
   */
  answerStep?: { step: TokenLogprob; offset: number };
};

/** One generated token as the server saw it, with its natural-log probability and the top alternatives at that step. */
export type TokenLogprob = { token: string; logprob: number; top: { token: string; logprob: number }[] };

/** `logprobs`, when present, covers exactly the tokens that make up this event's `text`, in order. */
export type GenerateEvent =
  { type: "text"; text: string; logprobs?: TokenLogprob[] } | { type: "done"; stats: GenerateStats };

export type BackendHealth = {
  backend: string;
  reachable: boolean;
  version: string | null;
  /** Human-readable detail when unreachable or degraded. */
  detail: string | null;
};

export interface InferenceBackend {
  readonly name: string;
  /**
   * Streams the reply. Yields text pieces, then exactly one `done` event. Throws AppError on failure.
   * Aborting `signal` must stop generation upstream, not only stop reading.
   */
  generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent, void, undefined>;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** Whether the named model is available on this backend. */
  hasModel(model: string, signal?: AbortSignal): Promise<boolean>;
  health(signal?: AbortSignal): Promise<BackendHealth>;
}
