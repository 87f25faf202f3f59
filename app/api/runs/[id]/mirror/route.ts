import { AppError } from "@/lib/errors";
import { adminRoute } from "@/eval/api/admin-route";
import { requireRun, runView } from "@/eval/report/views";
import { isMirroring, retryMirror } from "@/eval/runner/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Retries mirroring a finished run to Weave. */
export const POST = adminRoute<{ id: string }>((_request, { db, params }) => {
  const run = requireRun(db, params.id);
  if (run.status === "queued" || run.status === "running")
    throw new AppError("conflict", "The run is still going; it is mirrored when it ends.");
  if (isMirroring(run.id)) throw new AppError("conflict", "This run is being mirrored right now.");
  if (!retryMirror(run.id)) {
    throw new AppError("invalid_request", "Weave mirroring is not configured.", {
      fix: "Set WANDB_API_KEY and WEAVE_PROJECT (entity/project).",
    });
  }
  return Response.json(runView(db, requireRun(db, params.id), false), { status: 202 });
});
