import type { HealthResponse } from "@/lib/schemas/service";

/** A /api/health answer of a ready Ollama backend with the fine-tune pulled; `over` replaces any field. */
export function healthBody(over: Partial<HealthResponse> = {}): HealthResponse {
  return {
    status: "ok",
    backend: { name: "ollama", reachable: true, version: "0.12.3", detail: null },
    defaultModel: { name: "mrizwank97/medgpt", present: true },
    mode: "ollama",
    pull: null,
    fix: null,
    ...over,
  };
}
