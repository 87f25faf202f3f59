import { AppError } from "@/lib/errors";
import { adminRoute } from "@/eval/api/admin-route";
import { exportRows, toCsv, toJsonl } from "@/eval/report/export";
import { requireRun } from "@/eval/report/views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** ?format=csv|jsonl — one row per item and model, as a download. */
export const GET = adminRoute<{ id: string }>((request, { db, params }) => {
  const format = new URL(request.url).searchParams.get("format") ?? "csv";
  if (format !== "csv" && format !== "jsonl") throw new AppError("invalid_request", "format must be csv or jsonl.");
  const run = requireRun(db, params.id);
  const rows = exportRows(db, run);
  const body = format === "csv" ? toCsv(rows) : toJsonl(rows);
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${run.id}.${format}"`,
    },
  });
});
