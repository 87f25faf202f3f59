import { adminRoute } from "@/eval/api/admin-route";
import { requireRun, runView } from "@/eval/report/views";
import { resumeRun } from "@/eval/runner/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Continues a stopped run (interrupted, cancelled, failed, or partial: its failed items are tried again). */
export const POST = adminRoute<{ id: string }>((_request, { db, params, audit }) => {
  requireRun(db, params.id);
  resumeRun(params.id);
  audit("run_resume", params.id);
  return Response.json(runView(db, requireRun(db, params.id), false), { status: 202 });
});
