"use client";

import { useRef, useState } from "react";
import type { ConfidenceThresholds } from "@/lib/confidence";
import type { AskRequestInput } from "@/lib/schemas/ask";
import type { ModelDescription } from "@/components/use-models";
import {
  ApiKeyPrompt,
  fetchWithSavedKey,
  forgetApiKey,
  keyProblemOf,
  useApiKeySaved,
  type KeyProblem,
} from "./api-key-prompt";
import { HistoryPanel } from "./history-panel";
import { useHistory, type HistoryEntry } from "./history";
import { useModels, type ModelInfo } from "./model-picker";
import { QuestionCard } from "./question-card";
import { QuestionEditor } from "./question-editor";
import { ResultPanel } from "./result-panel";
import { useAskStream } from "./use-ask-stream";
import { askBlockedReason, availability, useHealth } from "./use-health";
import { draftFrom, EMPTY_OPTIONS, fieldValue, validateDraft, type Draft, type FieldErrors } from "./validate";

/** The question that was asked, frozen: the answer beside it always belongs to exactly this. */
type Asked = { question: AskRequestInput & { model: string }; askedAt: number; model: ModelInfo };

const newId = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/**
 * The clinician's page below the title: the question (being written, or frozen once asked) beside its answer, and
 * the recent questions of this browser. Design decision: after Ask the form becomes a read-only card with "Edit and
 * ask again" and "New question", so an answer is never shown next to text it was not given.
 */
export function AskForm({
  defaultModel,
  defaultModelDescription = null,
  thresholds,
  requireKey = false,
}: {
  defaultModel: string;
  defaultModelDescription?: ModelDescription | null;
  thresholds: ConfidenceThresholds;
  /** the server answers only asks that carry an API key (MEDGPT_ASK_REQUIRE_KEY) */
  requireKey?: boolean;
}) {
  const [draft, setDraft] = useState<Draft>({
    caseText: "",
    options: EMPTY_OPTIONS,
    showE: false,
    model: defaultModel,
  });
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [errorFocus, setErrorFocus] = useState(0);
  const [asked, setAsked] = useState<Asked | null>(null);
  const [focusCase, setFocusCase] = useState(false);
  const [focusResult, setFocusResult] = useState(0);
  const askSeq = useRef(0);
  const resultRef = useRef<HTMLElement>(null);

  const { state, ask, stop, reset, restore } = useAskStream(fetchWithSavedKey);
  const { models, describe, query: modelsQuery } = useModels(defaultModel, defaultModelDescription);
  const health = useHealth();
  // The API key: asked for when the server requires one, or when it refused the last ask for want of a good one.
  const keySaved = useApiKeySaved();
  const [keyProblem, setKeyProblem] = useState<KeyProblem | null>(null);
  const [keyFocus, setKeyFocus] = useState(0);
  const needKey = keyProblem !== null || (requireKey && !keySaved);
  const keyRefused = state.phase === "error" && keyProblemOf(state.error) !== null;
  const blockedReason =
    askBlockedReason(availability(health.data, health.isError), draft.model) ??
    (needKey ? "Save your API key above, then ask." : null);
  const history = useHistory();

  /** On a narrow screen the answer is below the question: bring it into view when asking. */
  function revealResult() {
    requestAnimationFrame(() => {
      const el = resultRef.current;
      if (!el || typeof el.scrollIntoView !== "function") return;
      const top = el.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight * 0.5) {
        const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
        el.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
      }
    });
  }

  async function run(next: Asked) {
    const seq = ++askSeq.current;
    setAsked(next);
    setFocusCase(false);
    revealResult();
    const final = await ask(next.question);
    if (askSeq.current !== seq) return; // replaced, edited or cleared meanwhile
    const problem = keyProblemOf(final.error);
    if (final.phase === "error" && problem) {
      if (problem === "invalid_api_key") forgetApiKey();
      setKeyProblem(problem);
      setKeyFocus((n) => n + 1);
      return;
    }
    setFocusResult((n) => n + 1);
    if (final.phase === "done" && final.answer) {
      history.add({
        id: newId(),
        askedAt: next.askedAt,
        question: next.question,
        modelLabel: next.model.label,
        answer: final.answer,
        done: final.done,
        raw: final.raw,
      });
    }
  }

  function submit() {
    const { body, errors: found } = validateDraft(draft);
    setErrors(found);
    if (found.length) {
      setErrorFocus((n) => n + 1);
      return;
    }
    const model = body.model ?? defaultModel;
    void run({ question: { ...body, model }, askedAt: Date.now(), model: describe(model) });
  }

  function retry() {
    if (asked) void run({ ...asked, askedAt: Date.now() });
  }

  /** A key was saved: the question it was missing for is asked again at once. */
  function keySavedNow() {
    setKeyProblem(null);
    if (keyRefused) retry();
  }

  function backToEditing(next: Draft) {
    askSeq.current++;
    reset();
    setAsked(null);
    setDraft(next);
    setErrors([]);
    setFocusCase(true);
  }

  function restoreEntry(entry: HistoryEntry) {
    askSeq.current++;
    setAsked({
      question: entry.question,
      askedAt: entry.askedAt,
      model: { ...describe(entry.question.model), label: entry.modelLabel ?? describe(entry.question.model).label },
    });
    restore(entry);
    setFocusCase(false);
    setFocusResult((n) => n + 1);
    revealResult();
  }

  /** Editing a field clears its message; the others stay until the next Ask. */
  function onDraftChange(next: Draft) {
    if (errors.length) {
      setErrors(errors.filter((e) => fieldValue(next, e.field) === fieldValue(draft, e.field)));
    }
    setDraft(next);
  }

  return (
    <div className="space-y-8">
      <ApiKeyPrompt needKey={needKey} problem={keyProblem} focusRequest={keyFocus} onSaved={keySavedNow} />
      <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
        <div className="min-w-0">
          {asked ? (
            <QuestionCard
              question={asked.question}
              model={asked.model}
              askedAt={asked.askedAt}
              chosen={state.phase === "done" || state.phase === "stopped" ? (state.answer?.letter ?? null) : null}
              onEdit={() => backToEditing({ ...draftFrom(asked.question), model: asked.question.model })}
              onNew={() =>
                backToEditing({ caseText: "", options: EMPTY_OPTIONS, showE: false, model: asked.question.model })
              }
            />
          ) : (
            <QuestionEditor
              draft={draft}
              errors={errors}
              errorFocus={errorFocus}
              models={models}
              modelsFailed={modelsQuery.isError}
              blockedReason={blockedReason}
              focusCase={focusCase}
              onChange={onDraftChange}
              onSubmit={submit}
            />
          )}
        </div>
        <section ref={resultRef} aria-labelledby="answer-heading" className="min-w-0 scroll-mt-4">
          <h2 id="answer-heading" className="mb-3 text-lg font-semibold">
            Answer
          </h2>
          <ResultPanel
            // A refused key is the key prompt's to explain; the answer stays to come.
            state={asked && !keyRefused ? state : { ...state, phase: "idle" }}
            question={asked?.question ?? null}
            model={asked?.model ?? null}
            askedAt={asked?.askedAt ?? 0}
            thresholds={thresholds}
            focusRequest={focusResult}
            onStop={stop}
            onRetry={retry}
          />
        </section>
      </div>
      <HistoryPanel
        entries={history.entries}
        thresholds={thresholds}
        onRestore={restoreEntry}
        onClear={history.clear}
      />
    </div>
  );
}
