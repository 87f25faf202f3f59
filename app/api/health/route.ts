import { isAdminRequest } from "@/lib/auth";
import { getConfig } from "@/lib/config";
import { getBackend } from "@/lib/inference";
import { healthReport } from "@/lib/inference/health-report";
import type { HealthResponse } from "@/lib/schemas/service";
import { hideLocations } from "@/lib/http/hide-locations";
import { apiRoute } from "@/lib/observability/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** 200 when the backend is reachable (status ok or degraded), 503 when it is not. */
export const GET = apiRoute(async (request: Request): Promise<Response> => {
  const report = await healthReport(getBackend(), getConfig(), request.signal);
  // Anyone may ask whether the service is up; only the admin learns where things are (model server URL, model
  // file path, registry errors): those details help an attacker map the deployment and a clinician not at all.
  const body = isAdminRequest(request) ? report : withoutLocations(report);
  return Response.json(body, {
    status: body.status === "unavailable" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
});

function withoutLocations(r: HealthResponse): HealthResponse {
  return {
    ...r,
    backend: { ...r.backend, detail: hideLocations(r.backend.detail) },
    pull: r.pull && { ...r.pull, error: hideLocations(r.pull.error) },
  };
}
