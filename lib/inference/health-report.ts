import "server-only";
import type { AppConfig } from "@/lib/config";
import { AppError, ERROR_TABLE } from "@/lib/errors";
import { getPullState } from "@/lib/models/registry";
import type { HealthResponse } from "@/lib/schemas/service";
import type { InferenceBackend } from "./types";

/**
 * The health policy: what status the backend's state means and what to do about it. It sits beside the backends
 * because the fix depends on which backend is serving (Ollama: pull; embedded: a GGUF or a download).
 */
export async function healthReport(
  backend: InferenceBackend,
  config: AppConfig,
  signal?: AbortSignal,
): Promise<HealthResponse> {
  const model = config.defaultModel;
  const health = await backend.health(signal);
  let present: boolean | null = null;
  if (health.reachable) {
    try {
      present = await backend.hasModel(model, signal);
    } catch (err) {
      health.detail = err instanceof AppError ? err.message : "Could not check the default model.";
    }
  }
  // Unknown presence (the check itself failed) is not "ok": the default model may not answer.
  const status: HealthResponse["status"] = !health.reachable ? "unavailable" : present === true ? "ok" : "degraded";
  return {
    status,
    backend: { name: health.backend, reachable: health.reachable, version: health.version, detail: health.detail },
    defaultModel: { name: model, present },
    mode: config.backend,
    pull: pullView(),
    fix: fixFor(status, health.backend, model, present),
  };
}

function fixFor(
  status: HealthResponse["status"],
  backend: string,
  model: string,
  present: boolean | null,
): string | null {
  if (status === "ok") return null;
  if (status === "unavailable") {
    return backend === "embedded"
      ? `Start Ollama (\`ollama serve\`, then \`ollama pull ${model}\`), set MEDGPT_GGUF=/path/to/model.gguf, or run \`npm run model:pull -- ${model}\` with internet access.`
      : ERROR_TABLE.upstream_unavailable.fix;
  }
  if (present !== false) return "Could not confirm the default model; check the backend's logs.";
  return backend === "ollama"
    ? `Pull the default model: \`ollama pull ${model}\`.`
    : `Make ${model} available on the ${backend} backend, or set MEDGPT_MODEL.`;
}

function pullView(): HealthResponse["pull"] {
  const p = getPullState();
  if (p.status === "idle") return null;
  return {
    model: p.model,
    status: p.status,
    receivedBytes: p.receivedBytes,
    totalBytes: p.totalBytes,
    error: p.error ?? null,
  };
}
