import { useQuery } from "@tanstack/react-query";
import { sameModel } from "@/lib/models/ref";
import { ModelsResponseReader } from "@/lib/schemas/read-ask";
import { apiJson } from "./api-client";

/** What the model catalogue says about a model (label, one line, whether it is an untuned comparison model). */
export type ModelDescription = { label: string | null; description: string | null; comparison: boolean };

/**
 * The backend's models as names to choose from, for the clinician page and the new-run form alike: the configured
 * default comes first and always, even before it is pulled. Ollama lists "x:latest" for a model pulled as "x"; that
 * one is offered under the name it was configured with. `described` has the catalogue's words for each listed model.
 */
export function useModelChoices(defaultModel: string) {
  const query = useQuery({
    queryKey: ["models"],
    // The zod-free reader of ModelsResponseSchema: this hook is on the clinician page, which loads no zod.
    queryFn: () => apiJson("/api/models", ModelsResponseReader),
    staleTime: 30_000,
  });
  const models = query.data?.models ?? [];
  const listed = models.map((m) => (sameModel(m.name, defaultModel) ? defaultModel : m.name));
  const described = new Map<string, ModelDescription>(
    models.map((m, i) => [listed[i]!, { label: m.label, description: m.description, comparison: m.comparison }]),
  );
  return {
    query,
    choices: [...new Set([defaultModel, ...listed])],
    defaultPulled: listed.includes(defaultModel),
    described,
  };
}
