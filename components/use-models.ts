import { useQuery } from "@tanstack/react-query";
import { sameModel } from "@/lib/models/ref";
import { ModelsResponseSchema } from "@/lib/schemas/service";
import { apiJson } from "./api-client";

/**
 * The backend's models as names to choose from, for the clinician page and the new-run form alike: the configured
 * default comes first and always, even before it is pulled. Ollama lists "x:latest" for a model pulled as "x"; that
 * one is offered under the name it was configured with.
 */
export function useModelChoices(defaultModel: string) {
  const query = useQuery({
    queryKey: ["models"],
    queryFn: () => apiJson("/api/models", ModelsResponseSchema),
    staleTime: 30_000,
  });
  const listed = (query.data?.models ?? []).map((m) => (sameModel(m.name, defaultModel) ? defaultModel : m.name));
  return { query, choices: [...new Set([defaultModel, ...listed])], defaultPulled: listed.includes(defaultModel) };
}
