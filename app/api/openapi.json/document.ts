import { evalOpenApi } from "@/eval/api/openapi";
import { buildOpenApiDocument } from "@/lib/openapi";

/** The whole API's document: assembled here, where the app's own routes (lib/) and evaluation's are both visible. */
export function openApiDocument(serverUrl?: string) {
  return buildOpenApiDocument([evalOpenApi], serverUrl);
}
