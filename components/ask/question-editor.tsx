"use client";

import { useEffect, type FormEvent, type KeyboardEvent } from "react";
import { LETTERS, type Letter } from "@/lib/schemas/letters";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select, TextArea } from "@/components/ui/inputs";
import { BackendStatusLine } from "./backend-banner";
import { EXAMPLE_CASES } from "./examples";
import { ModelPicker, type ModelInfo } from "./model-picker";
import { OptionFields } from "./option-fields";
import { caseFieldId, EMPTY_OPTIONS, optionFieldId, type Draft, type FieldErrors } from "./validate";

/**
 * The question being written: case, options, model, Ask. Invalid fields are marked (aria-invalid, a red border),
 * described in the clinician's words, and the first one takes the focus. When no model can answer, Ask is disabled
 * and the reason is written beside it (a disabled button cannot be focused to discover why).
 */
export function QuestionEditor({
  draft,
  errors,
  errorFocus,
  models,
  modelsFailed,
  blockedReason,
  focusCase,
  onChange,
  onSubmit,
}: {
  draft: Draft;
  errors: FieldErrors;
  /** bumped by each refused Ask: the first invalid field then takes the focus */
  errorFocus: number;
  models: ModelInfo[];
  modelsFailed: boolean;
  blockedReason: string | null;
  /** focus the case box when the editor appears (after "Edit and ask again" or "New question") */
  focusCase: boolean;
  onChange: (draft: Draft) => void;
  onSubmit: () => void;
}) {
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  const optionErrors = Object.fromEntries(
    LETTERS.flatMap((l) => {
      const message = errorFor(optionFieldId(l));
      return message ? [[l, message]] : [];
    }),
  ) as Partial<Record<Letter, string>>;

  // The first invalid field takes the focus, so keyboard and screen-reader users land on the problem.
  const firstError = errors[0]?.field;
  useEffect(() => {
    if (errorFocus > 0 && firstError) document.getElementById(firstError)?.focus();
    // Only a refused Ask moves the focus; fixing one field while typing must not pull it to another.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [errorFocus]);

  useEffect(() => {
    if (focusCase) document.getElementById(caseFieldId)?.focus();
  }, [focusCase]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!blockedReason) onSubmit();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  }

  function loadExample(index: string) {
    const example = EXAMPLE_CASES[Number(index)];
    if (!example) return;
    onChange({
      ...draft,
      caseText: example.caseText,
      options: { ...EMPTY_OPTIONS, ...example.options },
      showE: example.options.E !== undefined,
    });
  }

  return (
    <form
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-5"
      aria-labelledby="question-heading"
    >
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <h2 id="question-heading" className="text-lg font-semibold">
          Your question
        </h2>
        {/* Examples are for trying MedGPT out; they stay small beside the heading. */}
        <div className="flex min-w-0 items-center gap-2 text-sm">
          <label htmlFor="example" className="shrink-0 text-slate-700">
            Load an example
          </label>
          <Select
            id="example"
            defaultValue=""
            className="min-w-0 max-w-52"
            onChange={(e) => {
              loadExample(e.target.value);
              e.target.value = "";
            }}
          >
            <option value="">Choose…</option>
            {EXAMPLE_CASES.map((ex, i) => (
              <option key={ex.title} value={i}>
                {ex.title}
              </option>
            ))}
          </Select>
        </div>
      </div>

      <Field
        id={caseFieldId}
        label="Clinical case"
        error={errorFor(caseFieldId)}
        hint="Include age, sex, the findings and the question. Leave out names and anything else that identifies the patient."
      >
        {(control) => (
          <TextArea
            {...control}
            value={draft.caseText}
            onChange={(e) => onChange({ ...draft, caseText: e.target.value })}
            rows={7}
            className="resize-y leading-relaxed"
            placeholder="A 45-year-old man presents with… Which of the following is the most likely diagnosis?"
          />
        )}
      </Field>

      <OptionFields
        values={draft.options}
        showE={draft.showE}
        disabled={false}
        errors={optionErrors}
        onChange={(letter, value) => onChange({ ...draft, options: { ...draft.options, [letter]: value } })}
        onToggleE={(show) =>
          onChange({ ...draft, showE: show, options: show ? draft.options : { ...draft.options, E: "" } })
        }
      />

      <ModelPicker
        models={models}
        value={draft.model}
        disabled={false}
        listFailed={modelsFailed}
        onChange={(model) => onChange({ ...draft, model })}
      />

      <div className="space-y-2 border-t border-slate-100 pt-4">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Button
            type="submit"
            variant="primary"
            disabled={blockedReason !== null}
            aria-describedby={blockedReason ? "ask-blocked" : undefined}
            className="min-w-24"
          >
            Ask
          </Button>
          {/* A keyboard shortcut means nothing on a touch screen. */}
          <span className="text-xs text-slate-600 pointer-coarse:hidden" data-testid="keyboard-hint">
            Press Ctrl+Enter (⌘+Enter on Mac) to ask.
          </span>
        </div>
        {blockedReason ? (
          <p id="ask-blocked" className="text-sm font-medium text-red-800" data-testid="ask-blocked">
            {blockedReason}
          </p>
        ) : null}
        <BackendStatusLine />
      </div>
    </form>
  );
}
