import { useQuery } from "@tanstack/react-query";
import { ModelsResponseSchema } from "@/lib/schemas/service";

async function fetchModels() {
  const res = await fetch("/api/models");
  if (!res.ok) throw new Error(`models: ${res.status}`);
  return ModelsResponseSchema.parse(await res.json());
}

/** Lists the backend's models; the configured default is always offered, even before it is pulled. */
export function ModelSelect({
  value,
  defaultModel,
  disabled,
  onChange,
}: {
  value: string;
  defaultModel: string;
  disabled: boolean;
  onChange: (model: string) => void;
}) {
  const { data, isError } = useQuery({ queryKey: ["models"], queryFn: fetchModels, staleTime: 30_000 });
  // Ollama lists "x:latest" for a model pulled as "x"; show the default under the name it was configured with.
  const names = (data?.models ?? []).map((m) => (m.name === `${defaultModel}:latest` ? defaultModel : m.name));
  const hasDefault = names.includes(defaultModel);
  const choices = [...new Set([defaultModel, ...names])];
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="model" className="text-sm font-medium">
        Model
      </label>
      <select
        id="model"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
      >
        {choices.map((name) => (
          <option key={name} value={name}>
            {name}
            {name === defaultModel && data && !hasDefault ? " (not pulled)" : ""}
          </option>
        ))}
      </select>
      {isError ? <span className="text-xs text-amber-700">Could not list models; using the default.</span> : null}
    </div>
  );
}
