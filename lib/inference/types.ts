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
};

export type GenerateEvent = { type: "text"; text: string } | { type: "done"; stats: GenerateStats };

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
