import { adminRoute } from "@/eval/api/admin-route";
import { distributions, requireRun } from "@/eval/report/views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute<{ id: string }>((_request, { db, params }) =>
  Response.json(distributions(db, requireRun(db, params.id))),
);
