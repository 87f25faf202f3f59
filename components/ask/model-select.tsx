import { useModelChoices } from "@/components/use-models";

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
  const { query, choices, defaultPulled } = useModelChoices(defaultModel);
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
            {name === defaultModel && query.data && !defaultPulled ? " (not pulled)" : ""}
          </option>
        ))}
      </select>
      {query.isError ? <span className="text-xs text-amber-700">Could not list models; using the default.</span> : null}
    </div>
  );
}
