"use client";

import { sameModel } from "@/lib/models/ref";
import { Badge } from "@/components/ui/badge";
import { useModelChoices, type ModelDescription } from "@/components/use-models";

export type ModelInfo = ModelDescription & {
  name: string;
  /** false: the server does not have it (only ever the configured default, which is always offered) */
  installed: boolean | null;
};

/**
 * The models to choose from, each with the catalogue's label and one line about it. The server passes what its
 * catalogue says about the default model, so that it is described even before the backend lists it.
 */
export function useModels(defaultModel: string, defaultDescription: ModelDescription | null) {
  const { query, choices, defaultPulled, described } = useModelChoices(defaultModel);
  const describe = (name: string): ModelInfo => {
    const listed = described.get(name);
    const fallback = sameModel(name, defaultModel) ? defaultDescription : null;
    const words = listed?.label ? listed : (fallback ?? listed);
    return {
      name,
      label: words?.label ?? null,
      description: words?.description ?? null,
      comparison: words?.comparison ?? false,
      installed: query.data ? (name === defaultModel ? defaultPulled : true) : null,
    };
  };
  return { query, models: choices.map(describe), describe };
}

/** "MedGPT" for a catalogued model, its name otherwise. */
export const modelTitle = (m: ModelInfo) => m.label ?? m.name;

/**
 * The model picker: one choice per model with its label and one-line description; the untuned base model is marked
 * as a comparison model, so nobody takes its answers for MedGPT's. A model the catalogue lacks appears by name.
 */
export function ModelPicker({
  models,
  value,
  disabled,
  listFailed,
  onChange,
}: {
  models: ModelInfo[];
  value: string;
  disabled: boolean;
  listFailed: boolean;
  onChange: (model: string) => void;
}) {
  return (
    <fieldset className="min-w-0" data-testid="model-picker">
      <legend className="mb-1 text-sm font-medium">Model</legend>
      <div className="space-y-1.5">
        {models.map((m) => {
          const id = `model-${m.name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
          const notes = [
            m.description,
            m.installed === false ? "Not installed on this server." : null,
            m.label && m.label !== m.name ? `Model name: ${m.name}` : null,
          ].filter(Boolean);
          return (
            <label
              key={m.name}
              htmlFor={id}
              className="flex cursor-pointer items-start gap-2 rounded-md border border-slate-300 bg-white p-2 has-checked:border-brand-600 has-checked:ring-1 has-checked:ring-brand-600 has-disabled:cursor-not-allowed has-disabled:opacity-70"
            >
              <input
                type="radio"
                id={id}
                name="model"
                value={m.name}
                checked={value === m.name}
                disabled={disabled}
                onChange={() => onChange(m.name)}
                aria-labelledby={`${id}-title`}
                aria-describedby={notes.length ? `${id}-notes` : undefined}
                className="mt-1 accent-brand-600"
              />
              <span className="min-w-0">
                <span id={`${id}-title`} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm font-medium">
                  <span className="break-all">{modelTitle(m)}</span>
                  {m.comparison ? <Badge tone="warning">Untuned comparison model</Badge> : null}
                </span>
                {notes.length ? (
                  <span id={`${id}-notes`} className="block text-xs text-slate-600">
                    {notes.map((n) => (
                      <span key={n} className="block break-words">
                        {n}
                      </span>
                    ))}
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
      </div>
      {listFailed ? (
        <p className="mt-1 text-xs text-amber-800">
          Could not list the server&apos;s models; the standard model is used.
        </p>
      ) : null}
    </fieldset>
  );
}
