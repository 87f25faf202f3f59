import { AppError } from "@/lib/errors";
import { issuesOf } from "@/lib/http/read-json";
import { adminRoute } from "@/eval/api/admin-route";
import { CompareQuerySchema } from "@/eval/api/schemas";
import { comparison } from "@/eval/report/views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** ?runA&modelA&runB&modelB — paired comparison on the items both completed (same run with two models works). */
export const GET = adminRoute((request, { db }) => {
  const parsed = CompareQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw new AppError("invalid_request", "Give runA, modelA, runB and modelB.", { issues: issuesOf(parsed.error) });
  const q = parsed.data;
  return Response.json(comparison(db, { runId: q.runA, model: q.modelA }, { runId: q.runB, model: q.modelB }, q));
});
