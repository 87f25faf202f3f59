"use client";

import { useState, type FormEvent, type KeyboardEvent } from "react";
import { AskRequestSchema, type AskRequestInput } from "@/lib/schemas/ask";
import { LETTERS, type Letter } from "@/lib/schemas/options";
import { BackendStatus } from "./backend-status";
import { ErrorPanel } from "@/components/ui/error-panel";
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
    const body: AskRequestInput = { case: caseText, options: toOptions(options, showE) as AskRequestInput["options"], model };
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
          <div className="flex flex-col gap-1">
            <label htmlFor="example" className="text-sm font-medium">
              Load example
            </label>
            <select
              id="example"
              defaultValue=""
              disabled={busy}
              onChange={(e) => {
                loadExample(e.target.value);
                e.target.value = "";
              }}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
            >
              <option value="">Choose an example…</option>
              {EXAMPLE_CASES.map((ex, i) => (
                <option key={ex.title} value={i}>
                  {ex.title}
                </option>
              ))}
            </select>
          </div>
          <ModelSelect value={model} defaultModel={defaultModel} disabled={busy} onChange={setModel} />
        </div>

        <div className="flex flex-col gap-1">
          <label htmlFor="case" className="text-sm font-medium">
            Clinical case
          </label>
          <textarea
            id="case"
            value={caseText}
            disabled={busy}
            onChange={(e) => setCaseText(e.target.value)}
            rows={8}
            aria-invalid={fieldErrors.case ? true : undefined}
            aria-describedby={fieldErrors.case ? "case-error" : "case-hint"}
            placeholder="A 45-year-old man presents with… Which of the following is the most likely diagnosis?"
            className="rounded-md border border-slate-300 bg-white p-2 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 disabled:bg-slate-100"
          />
          {fieldErrors.case ? (
            <span id="case-error" className="text-xs text-red-700">
              {fieldErrors.case}
            </span>
          ) : (
            <span id="case-hint" className="text-xs text-slate-500">
              Press Ctrl+Enter (⌘+Enter on Mac) to ask.
            </span>
          )}
        </div>

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
          <button
            type="submit"
            disabled={busy}
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600/40 disabled:opacity-50"
          >
            Ask
          </button>
          <button
            type="button"
            onClick={stop}
            disabled={!busy}
            className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-100 disabled:opacity-50"
          >
            Stop
          </button>
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
              <p className="mt-1 text-xs text-amber-800">The reply did not follow the expected analysis/answer format.</p>
            ) : null}
          </div>
        ) : null}
        <ReasoningPanel text={reasoning} phase={phase} />
        {done ? <TimingsLine model={done.model} backend={done.backend} timings={done.timings} /> : null}
      </div>
    </div>
  );
}
