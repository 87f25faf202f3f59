import type { Letter } from "@/lib/schemas/options";

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
              <input
                id={`option-${letter}-input`}
                value={values[letter]}
                disabled={disabled}
                onChange={(e) => onChange(letter, e.target.value)}
                aria-invalid={errors[letter] ? true : undefined}
                aria-describedby={errors[letter] ? `option-${letter}-error` : undefined}
                placeholder={letter <= "B" ? "Required" : "Optional"}
                className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 disabled:bg-slate-100"
              />
              {isChosen ? (
                <span className="rounded bg-emerald-600 px-2 py-0.5 text-xs font-semibold text-white">Model&apos;s answer</span>
              ) : null}
              {letter === "E" ? (
                <button
                  type="button"
                  onClick={() => onToggleE(false)}
                  disabled={disabled}
                  className="rounded px-2 py-1 text-xs text-slate-600 hover:bg-slate-100"
                  aria-label="Remove option E"
                >
                  Remove
                </button>
              ) : null}
              {errors[letter] ? (
                <span id={`option-${letter}-error`} className="text-xs text-red-700">
                  {errors[letter]}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      {!showE ? (
        <button
          type="button"
          onClick={() => onToggleE(true)}
          disabled={disabled}
          className="rounded px-2 py-1 text-sm text-brand-700 hover:bg-brand-50"
        >
          + Add option E
        </button>
      ) : null}
    </fieldset>
  );
}
