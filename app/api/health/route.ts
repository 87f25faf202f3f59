import { getConfig } from "@/lib/config";
import { getBackend } from "@/lib/inference";
import { healthReport } from "@/lib/inference/health-report";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** 200 when the backend is reachable (status ok or degraded), 503 when it is not. */
export async function GET(request: Request): Promise<Response> {
  const body = await healthReport(getBackend(), getConfig(), request.signal);
  return Response.json(body, {
    status: body.status === "unavailable" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
}
