import { getConfig } from "@/lib/config";
import { readJsonBody } from "@/lib/http/read-json";
import { adminRoute } from "@/eval/api/admin-route";
import { getBackend } from "@/lib/inference";
import { CreateRunRequestSchema } from "@/eval/api/schemas";
import { listRunViews, runView } from "@/eval/report/views";
import { startRun } from "@/eval/runner/jobs";
import { newRun } from "@/eval/runner/new-run";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute((_request, { db }) => Response.json({ runs: listRunViews(db) }));

/** Queues a run and starts it in the background; 202 with the run, whose progress GET /api/runs/{id} reports. */
export const POST = adminRoute(async (request, { db, audit }) => {
  const body = await readJsonBody(request, CreateRunRequestSchema);
  // A bearer token is a script or integration; the dashboard signs in with the session cookie.
  const createdBy = request.headers.has("authorization") ? "API (admin token)" : "dashboard";
  const run = await newRun(db, getBackend(), getConfig(), body, request.signal, createdBy);
  startRun(run.id);
  audit("run_start", run.id, `${run.config.models.join(", ")} on ${run.datasetId}`);
  return Response.json(runView(db, run, false), { status: 202, headers: { Location: `/api/runs/${run.id}` } });
});
