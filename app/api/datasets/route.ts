import { adminRoute } from "@/eval/api/admin-route";
import { datasetView, importUpload } from "@/eval/api/dataset-upload";
import { listDatasets } from "@/eval/store/datasets";
import { getConfig } from "@/lib/config";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute((_request, { db }) => Response.json({ datasets: listDatasets(db).map(datasetView) }));

/** Upload or Hugging Face import: 201 (new) or 200 (same content seen before); 422 when no row is usable. */
export const POST = adminRoute(async (request, { db, audit }) => {
  const r = await importUpload(request, db, getConfig().hfDatasetsUrl);
  audit("dataset_upload", r.dataset.id, `${r.dataset.name}: ${r.accepted} accepted, ${r.rejected.length} rejected`);
  return Response.json(
    { dataset: datasetView(r.dataset), existing: r.existing, accepted: r.accepted, rejected: r.rejected },
    { status: r.existing ? 200 : 201 },
  );
});
