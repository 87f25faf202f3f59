import { getConfig } from "@/lib/config";
import { errorResponse } from "@/lib/errors";
import { getBackend } from "@/lib/inference";
import { catalogueEntry } from "@/lib/models/catalogue";
import { apiRoute } from "@/lib/observability/api-route";
import type { ModelsResponse } from "@/lib/schemas/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request: Request): Promise<Response> => {
  const backend = getBackend();
  try {
    const models = await backend.listModels(request.signal);
    const { defaultModel, modelCatalogue } = getConfig();
    const described = models.map((m) => {
      const entry = catalogueEntry(modelCatalogue, m.name);
      return {
        ...m,
        label: entry?.label ?? null,
        description: entry?.description || null,
        comparison: entry?.comparison ?? false,
      };
    });
    const body: ModelsResponse = { backend: backend.name, defaultModel, models: described };
    return Response.json(body);
  } catch (err) {
    return errorResponse(err);
  }
});
