"use client";

import type { Letter } from "@/lib/schemas/letters";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field";
import { TextArea } from "@/components/ui/inputs";
import { useAutoGrow } from "./auto-grow";
import { optionFieldId, type OptionDraft } from "./validate";

type Props = {
  values: OptionDraft;
  showE: boolean;
  disabled: boolean;
  errors: Partial<Record<Letter, string>>;
  onChange: (letter: Letter, value: string) => void;
  onToggleE: (show: boolean) => void;
};

function OptionInput({
  letter,
  value,
  error,
  disabled,
  onChange,
}: {
  letter: Letter;
  value: string;
  error: string | undefined;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  const ref = useAutoGrow(value);
  return (
    <TextArea
      ref={ref}
      id={optionFieldId(letter)}
      rows={1}
      value={value}
      disabled={disabled}
      // An option is one line of text that wraps; Enter does not start a new line (Ctrl+Enter still asks).
      onKeyDown={(e) => {
        if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) e.preventDefault();
      }}
      onChange={(e) => onChange(e.target.value.replace(/\r?\n/g, " "))}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `option-${letter}-error` : undefined}
      placeholder={letter <= "B" ? "Required" : "Optional"}
      className="block w-full resize-none overflow-hidden leading-snug"
    />
  );
}

/** Options A–D, and E on request. Each box grows with its text so that long options wrap instead of scrolling. */
export function OptionFields({ values, showE, disabled, errors, onChange, onToggleE }: Props) {
  const letters: Letter[] = showE ? ["A", "B", "C", "D", "E"] : ["A", "B", "C", "D"];
  return (
    <fieldset className="min-w-0 space-y-2">
      <legend className="mb-1 text-sm font-medium">Options</legend>
      <ol className="space-y-2" data-testid="options">
        {letters.map((letter) => (
          <li
            key={letter}
            data-testid={`option-${letter}`}
            className={`grid items-start gap-x-2 ${letter === "E" ? "grid-cols-[1.5rem_1fr_auto]" : "grid-cols-[1.5rem_1fr]"}`}
          >
            <label htmlFor={optionFieldId(letter)} className="pt-1.5 text-center font-semibold">
              {letter}
            </label>
            <OptionInput
              letter={letter}
              value={values[letter]}
              error={errors[letter]}
              disabled={disabled}
              onChange={(v) => onChange(letter, v)}
            />
            {letter === "E" ? (
              <Button
                variant="ghost"
                size="xs"
                className="mt-1"
                onClick={() => onToggleE(false)}
                disabled={disabled}
                aria-label="Remove option E"
              >
                Remove
              </Button>
            ) : null}
            {errors[letter] ? (
              <span className="col-start-2 col-end-[-1]">
                <FieldError id={`option-${letter}-error`} message={errors[letter]} />
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      {!showE ? (
        <Button variant="ghost" size="sm" onClick={() => onToggleE(true)} disabled={disabled}>
          + Add option E
        </Button>
      ) : null}
    </fieldset>
  );
}
