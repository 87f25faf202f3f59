import { AppError } from "@/lib/errors";
import { adminRoute } from "@/eval/api/admin-route";
import { itemDetail, requireRun } from "@/eval/report/views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Drill-down: the case, the reference, and each model's output with its verdict. */
export const GET = adminRoute<{ id: string; idx: string }>((_request, { db, params }) => {
  const idx = Number(params.idx);
  if (!Number.isInteger(idx) || idx < 0)
    throw new AppError("invalid_request", "The item index must be a non-negative integer.");
  return Response.json(itemDetail(db, requireRun(db, params.id), idx));
});
