import "server-only";
import { getConfig } from "@/lib/config";
import { OllamaBackend } from "./ollama";
import type { InferenceBackend } from "./types";

export type { InferenceBackend } from "./types";

let backend: InferenceBackend | undefined;

/** The process's inference backend, chosen from config once. */
export function getBackend(): InferenceBackend {
  if (!backend) {
    const config = getConfig();
    backend = new OllamaBackend({ host: config.ollamaHost, timeoutMs: config.upstreamTimeoutMs });
  }
  return backend;
}
