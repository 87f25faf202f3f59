import { requireMetricsAccess } from "@/lib/auth";
import { errorResponse } from "@/lib/errors";
import { apiRoute } from "@/lib/observability/api-route";
import { metricsText } from "@/lib/observability/metrics";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus metrics: MEDGPT_METRICS_TOKEN or the admin's credentials, otherwise 401. Never cached. */
export const GET = apiRoute(async (request: Request): Promise<Response> => {
  try {
    requireMetricsAccess(request);
  } catch (err) {
    return errorResponse(err, { "Cache-Control": "no-store", "WWW-Authenticate": 'Bearer realm="medgpt metrics"' });
  }
  const { contentType, body } = await metricsText();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
});
