import { AppError } from "@/lib/errors";
import { issuesOf } from "@/lib/http/read-json";
import { adminRoute } from "@/eval/api/admin-route";
import { ResultsQuerySchema } from "@/eval/api/schemas";
import { requireRun, resultsPage } from "@/eval/report/views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** ?page&pageSize&filter=all|wrong|errors|disagree|unparseable&model&q */
export const GET = adminRoute<{ id: string }>((request, { db, params }) => {
  const parsed = ResultsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw new AppError("invalid_request", "Invalid query parameters.", { issues: issuesOf(parsed.error) });
  return Response.json(resultsPage(db, requireRun(db, params.id), parsed.data));
});
