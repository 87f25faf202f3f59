"use client";

import { useState, type FormEvent, type KeyboardEvent } from "react";
import { AskRequestSchema, type AskRequestInput } from "@/lib/schemas/ask";
import { LETTERS, type Letter } from "@/lib/schemas/options";
import { Button } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field } from "@/components/ui/field";
import { Select, TextArea } from "@/components/ui/inputs";
import { BackendStatus } from "./backend-status";
import { EXAMPLE_CASES } from "./examples";
import { ModelSelect } from "./model-select";
import { OptionFields, type OptionDraft } from "./option-fields";
import { ReasoningPanel } from "./reasoning-panel";
import { TimingsLine } from "./timings-line";
import { useAskStream } from "./use-ask-stream";

const EMPTY_OPTIONS: OptionDraft = { A: "", B: "", C: "", D: "", E: "" };

/** Trailing empty options are dropped; a gap in the middle is left for the schema to report. */
function toOptions(values: OptionDraft, showE: boolean): Record<string, string> {
  const letters = LETTERS.filter((l) => l !== "E" || showE);
  let last = -1;
  letters.forEach((l, i) => {
    if (values[l].trim()) last = i;
  });
  const used = letters.slice(0, Math.max(last + 1, 2));
  return Object.fromEntries(used.map((l) => [l, values[l]]));
}

export function AskForm({ defaultModel }: { defaultModel: string }) {
  const [caseText, setCaseText] = useState("");
  const [options, setOptions] = useState<OptionDraft>(EMPTY_OPTIONS);
  const [showE, setShowE] = useState(false);
  const [model, setModel] = useState(defaultModel);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const { ask, stop, phase, reasoning, answer, done, error } = useAskStream();
  const busy = phase === "waiting" || phase === "streaming";

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    const body: AskRequestInput = {
      case: caseText,
      options: toOptions(options, showE) as AskRequestInput["options"],
      model,
    };
    const parsed = AskRequestSchema.safeParse(body);
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
      return;
    }
    setFieldErrors({});
    ask(body);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
  }

  function loadExample(index: string) {
    const example = EXAMPLE_CASES[Number(index)];
    if (!example) return;
    setCaseText(example.caseText);
    setOptions({ ...EMPTY_OPTIONS, ...example.options });
    setShowE(example.options.E !== undefined);
    setFieldErrors({});
  }

  const optionErrors = Object.fromEntries(
    LETTERS.map((l) => [l, fieldErrors[`options.${l}`]]).filter(([, v]) => v),
  ) as Partial<Record<Letter, string>>;

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form onSubmit={submit} onKeyDown={onKeyDown} className="space-y-4" aria-label="Ask MedGPT">
        <div className="flex flex-wrap items-end gap-3">
          <Field id="example" label="Load example">
            {(control) => (
              <Select
                {...control}
                defaultValue=""
                disabled={busy}
                onChange={(e) => {
                  loadExample(e.target.value);
                  e.target.value = "";
                }}
              >
                <option value="">Choose an example…</option>
                {EXAMPLE_CASES.map((ex, i) => (
                  <option key={ex.title} value={i}>
                    {ex.title}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <ModelSelect value={model} defaultModel={defaultModel} disabled={busy} onChange={setModel} />
        </div>

        <Field
          id="case"
          label="Clinical case"
          error={fieldErrors.case}
          hint="Press Ctrl+Enter (⌘+Enter on Mac) to ask."
        >
          {(control) => (
            <TextArea
              {...control}
              value={caseText}
              disabled={busy}
              onChange={(e) => setCaseText(e.target.value)}
              rows={8}
              placeholder="A 45-year-old man presents with… Which of the following is the most likely diagnosis?"
            />
          )}
        </Field>

        <OptionFields
          values={options}
          showE={showE}
          chosen={answer?.letter ?? null}
          disabled={busy}
          errors={optionErrors}
          onChange={(letter, value) => setOptions((prev) => ({ ...prev, [letter]: value }))}
          onToggleE={(show) => {
            setShowE(show);
            if (!show) setOptions((prev) => ({ ...prev, E: "" }));
          }}
        />
        {fieldErrors.options ? <p className="text-xs text-red-700">{fieldErrors.options}</p> : null}

        <div className="flex gap-3">
          <Button type="submit" variant="primary" disabled={busy}>
            Ask
          </Button>
          <Button onClick={stop} disabled={!busy}>
            Stop
          </Button>
        </div>
        <BackendStatus />
      </form>

      <div className="space-y-4">
        {error ? <ErrorPanel error={error} /> : null}
        {answer ? (
          <div data-testid="answer" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4" role="status">
            {answer.letter ? (
              <p className="text-sm">
                <span className="font-semibold">Model&apos;s answer: {answer.letter}</span> — {answer.text}
              </p>
            ) : (
              <p className="text-sm text-amber-900">The model did not name one of the offered options.</p>
            )}
            {!answer.formatOk ? (
              <p className="mt-1 text-xs text-amber-800">
                The reply did not follow the expected analysis/answer format.
              </p>
            ) : null}
          </div>
        ) : null}
        <ReasoningPanel text={reasoning} phase={phase} />
        {done ? <TimingsLine model={done.model} backend={done.backend} timings={done.timings} /> : null}
      </div>
    </div>
  );
}
