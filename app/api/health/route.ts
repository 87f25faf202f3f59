import { getConfig } from "@/lib/config";
import { AppError, ERROR_TABLE } from "@/lib/errors";
import { getBackend } from "@/lib/inference";
import { getPullState } from "@/lib/models/registry";
import type { HealthResponse } from "@/lib/schemas/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function pullView(): HealthResponse["pull"] {
  const p = getPullState();
  if (p.status === "idle") return null;
  return { model: p.model, status: p.status, receivedBytes: p.receivedBytes, totalBytes: p.totalBytes, error: p.error ?? null };
}

function pullHint(backend: string, model: string): string {
  return backend === "ollama" ? `Pull the default model: \`ollama pull ${model}\`.` : `Make ${model} available on the ${backend} backend, or set MEDGPT_MODEL.`;
}

/** 200 when the backend is reachable (status ok or degraded), 503 when it is not. */
export async function GET(request: Request): Promise<Response> {
  const config = getConfig();
  const backend = getBackend();
  const model = config.defaultModel;
  const health = await backend.health(request.signal);
  let present: boolean | null = null;
  if (health.reachable) {
    try {
      present = await backend.hasModel(model, request.signal);
    } catch (err) {
      health.detail = err instanceof AppError ? err.message : "Could not check the default model.";
    }
  }
  // Unknown presence (the check itself failed) is not "ok": the default model may not answer.
  const status: HealthResponse["status"] = !health.reachable ? "unavailable" : present === true ? "ok" : "degraded";
  const fix =
    status === "unavailable"
      ? health.backend === "embedded"
        ? `Start Ollama (\`ollama serve\`, then \`ollama pull ${model}\`), set MEDGPT_GGUF=/path/to/model.gguf, or run \`npm run model:pull -- ${model}\` with internet access.`
        : ERROR_TABLE.upstream_unavailable.fix
      : status === "degraded"
        ? present === false
          ? pullHint(health.backend, model)
          : "Could not confirm the default model; check the backend's logs."
        : null;
  const body: HealthResponse = {
    status,
    backend: { name: health.backend, reachable: health.reachable, version: health.version, detail: health.detail },
    defaultModel: { name: model, present },
    mode: config.backend,
    pull: pullView(),
    fix,
  };
  return Response.json(body, { status: status === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}
