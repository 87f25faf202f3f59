import "server-only";
import type { AppConfig } from "@/lib/config";
import { AutoBackend } from "./auto";
import { LocalModelBackend } from "./local-model";
import { OllamaBackend } from "./ollama";
import { OpenAiCompatibleBackend } from "./openai";
import type { InferenceBackend } from "./types";

/** The backend MEDGPT_BACKEND asks for. */
export function createBackend(config: AppConfig): InferenceBackend {
  const ollama = () => new OllamaBackend({ host: config.ollamaHost, timeoutMs: config.upstreamTimeoutMs });
  switch (config.backend) {
    case "ollama":
      return ollama();
    case "embedded":
      return new LocalModelBackend(config);
    case "openai":
      return new OpenAiCompatibleBackend({ baseUrl: config.openai.baseUrl, apiKey: config.openai.apiKey, timeoutMs: config.upstreamTimeoutMs });
    case "auto":
      return new AutoBackend(ollama(), new LocalModelBackend(config));
  }
}
