import type { Letter } from "@/lib/schemas/options";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field";
import { TextInput } from "@/components/ui/inputs";

export type OptionDraft = Record<Letter, string>;

type Props = {
  values: OptionDraft;
  showE: boolean;
  chosen: Letter | null;
  disabled: boolean;
  errors: Partial<Record<Letter, string>>;
  onChange: (letter: Letter, value: string) => void;
  onToggleE: (show: boolean) => void;
};

export function OptionFields({ values, showE, chosen, disabled, errors, onChange, onToggleE }: Props) {
  const letters: Letter[] = showE ? ["A", "B", "C", "D", "E"] : ["A", "B", "C", "D"];
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 text-sm font-medium">Options</legend>
      <ol className="space-y-2" data-testid="options">
        {letters.map((letter) => {
          const isChosen = chosen === letter;
          return (
            <li
              key={letter}
              data-testid={`option-${letter}`}
              data-chosen={isChosen || undefined}
              className={`flex items-center gap-2 rounded-md border p-1.5 transition-colors ${
                isChosen ? "border-emerald-500 bg-emerald-50 ring-2 ring-emerald-400" : "border-transparent"
              }`}
            >
              <label htmlFor={`option-${letter}-input`} className="w-6 text-center font-semibold">
                {letter}
              </label>
              <TextInput
                id={`option-${letter}-input`}
                value={values[letter]}
                disabled={disabled}
                onChange={(e) => onChange(letter, e.target.value)}
                aria-invalid={errors[letter] ? true : undefined}
                aria-describedby={errors[letter] ? `option-${letter}-error` : undefined}
                placeholder={letter <= "B" ? "Required" : "Optional"}
                className="min-w-0 flex-1"
              />
              {isChosen ? (
                <Badge tone="success" solid>
                  Model&apos;s answer
                </Badge>
              ) : null}
              {letter === "E" ? (
                <Button
                  variant="ghost"
                  size="xs"
                  onClick={() => onToggleE(false)}
                  disabled={disabled}
                  aria-label="Remove option E"
                >
                  Remove
                </Button>
              ) : null}
              <FieldError id={`option-${letter}-error`} message={errors[letter]} />
            </li>
          );
        })}
      </ol>
      {!showE ? (
        <Button variant="ghost" size="sm" onClick={() => onToggleE(true)} disabled={disabled}>
          + Add option E
        </Button>
      ) : null}
    </fieldset>
  );
}
