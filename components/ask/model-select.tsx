import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/inputs";
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
    <Field
      id="model"
      label="Model"
      footer={
        query.isError ? <span className="text-xs text-amber-700">Could not list models; using the default.</span> : null
      }
    >
      {(control) => (
        <Select {...control} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {choices.map((name) => (
            <option key={name} value={name}>
              {name}
              {name === defaultModel && query.data && !defaultPulled ? " (not pulled)" : ""}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
