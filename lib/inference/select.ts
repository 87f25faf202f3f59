import "server-only";
import type { AppConfig } from "@/lib/config";
import { OllamaBackend } from "./ollama";
import type { InferenceBackend } from "./types";

/** The backend the configuration asks for. */
export function createBackend(config: AppConfig): InferenceBackend {
  return new OllamaBackend({ host: config.ollamaHost, timeoutMs: config.upstreamTimeoutMs });
}
