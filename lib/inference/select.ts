import "server-only";
import type { AppConfig } from "@/lib/config";
import { AutoBackend } from "./auto";
import { LocalModelBackend } from "./local-model";
import type { BackendMode } from "./modes";
import { OllamaBackend } from "./ollama";
import { OpenAiCompatibleBackend } from "./openai";
import type { InferenceBackend } from "./types";

const ollama = (config: AppConfig) =>
  new OllamaBackend({ host: config.ollamaHost, timeoutMs: config.upstreamTimeoutMs });

/** One factory per mode of lib/inference/modes.ts; TypeScript fails here when a mode has none. */
const FACTORIES: Record<BackendMode, (config: AppConfig) => InferenceBackend> = {
  ollama,
  embedded: (config) => new LocalModelBackend(config),
  openai: (config) =>
    new OpenAiCompatibleBackend({
      baseUrl: config.openai.baseUrl,
      apiKey: config.openai.apiKey,
      timeoutMs: config.upstreamTimeoutMs,
    }),
  auto: (config) => new AutoBackend(ollama(config), new LocalModelBackend(config)),
};

/** The backend MEDGPT_BACKEND asks for. */
export function createBackend(config: AppConfig): InferenceBackend {
  return FACTORIES[config.backend](config);
}
