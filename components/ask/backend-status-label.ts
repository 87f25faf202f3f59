import type { HealthResponse } from "@/lib/schemas/service";

/**
 * The status line's headline. "degraded" covers two cases that call for different actions: the default model is
 * known to be missing (present: false), or checking for it failed (present: null, the detail line says why).
 */
export function backendStatusLabel(data: HealthResponse): string {
  const backend = `${data.backend.name}${data.backend.version ? ` ${data.backend.version}` : ""}${data.mode === "auto" ? " (auto)" : ""}`;
  if (data.status === "ok") return `Backend: ${backend} · ready`;
  if (data.status === "unavailable") return `Backend: ${backend} · unreachable`;
  return data.defaultModel.present === false
    ? `Backend: ${backend} · default model ${data.defaultModel.name} is missing`
    : `Backend: ${backend} · could not check whether default model ${data.defaultModel.name} is available`;
}
