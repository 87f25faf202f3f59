import { getConfig } from "@/lib/config";
import { AppError, ERROR_TABLE } from "@/lib/errors";
import { getBackend } from "@/lib/inference";
import type { HealthResponse } from "@/lib/schemas/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** 200 when the backend is reachable (status ok or degraded), 503 when it is not. */
export async function GET(request: Request): Promise<Response> {
  const backend = getBackend();
  const model = getConfig().defaultModel;
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
      ? ERROR_TABLE.upstream_unavailable.fix
      : status === "degraded"
        ? present === false
          ? `Pull the default model: \`ollama pull ${model}\`.`
          : "Could not confirm the default model; check the backend's logs."
        : null;
  const body: HealthResponse = {
    status,
    backend: { name: health.backend, reachable: health.reachable, version: health.version, detail: health.detail },
    defaultModel: { name: model, present },
    fix,
  };
  return Response.json(body, { status: status === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}
