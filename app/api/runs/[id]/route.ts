import { adminRoute } from "@/eval/api/admin-route";
import { requireRun, runView } from "@/eval/report/views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute<{ id: string }>((_request, { db, params }) =>
  Response.json(runView(db, requireRun(db, params.id), true)),
);
