import { adminRoute } from "@/eval/api/admin-route";
import { requireRun, runView } from "@/eval/report/views";
import { cancelRun } from "@/eval/runner/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Idempotent: cancelling a finished run leaves it as it is and returns it. */
export const POST = adminRoute<{ id: string }>((_request, { db, params, audit }) => {
  requireRun(db, params.id);
  cancelRun(params.id);
  audit("run_cancel", params.id);
  return Response.json(runView(db, requireRun(db, params.id), false));
});
