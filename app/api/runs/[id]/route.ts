import { adminRoute } from "@/eval/api/admin-route";
import { LabelRunRequestSchema } from "@/eval/api/schemas";
import { requireRun, runView } from "@/eval/report/views";
import { labelRun } from "@/eval/store/runs";
import { readJsonBody } from "@/lib/http/read-json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute<{ id: string }>((_request, { db, params }) =>
  Response.json(runView(db, requireRun(db, params.id), true)),
);

/** Names the run and keeps notes with it; answers the updated run. */
export const PATCH = adminRoute<{ id: string }>(async (request, { db, params, audit }) => {
  requireRun(db, params.id);
  const body = await readJsonBody(request, LabelRunRequestSchema);
  labelRun(db, params.id, body);
  audit("run_label", params.id);
  return Response.json(runView(db, requireRun(db, params.id), true));
});
