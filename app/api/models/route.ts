import { getConfig } from "@/lib/config";
import { errorResponse } from "@/lib/errors";
import { getBackend } from "@/lib/inference";
import type { ModelsResponse } from "@/lib/schemas/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const backend = getBackend();
  try {
    const models = await backend.listModels(request.signal);
    const body: ModelsResponse = { backend: backend.name, defaultModel: getConfig().defaultModel, models };
    return Response.json(body);
  } catch (err) {
    return errorResponse(err);
  }
}
