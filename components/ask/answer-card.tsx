"use client";

import { useEffect, useRef, useState, type Ref } from "react";
import { confidenceBand, BAND_WORDS, type ConfidenceThresholds } from "@/lib/confidence";
import type { Answer, AskRequestInput } from "@/lib/schemas/ask";
import { LETTERS, type Letter } from "@/lib/schemas/letters";
import { Button } from "@/components/ui/button";
import { answerAsText, copyText } from "./copy-text";
import { percent } from "./format";
import type { ModelInfo } from "./model-picker";
import { modelTitle } from "./model-picker";
import { FocusCard } from "@/components/ui/focus-card";

function CopyButton({ text }: { text: () => string }) {
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  async function copy() {
    const ok = await copyText(text());
    setResult(ok ? "copied" : "failed");
    clearTimeout(timer.current ?? undefined);
    timer.current = setTimeout(() => setResult(null), 4000);
  }
  return (
    <div className="flex items-center gap-2">
      <span role="status" className="text-xs font-medium text-slate-700" data-testid="copy-status">
        {result === "copied" ? "Copied" : result === "failed" ? "Could not copy; select the text and copy it" : ""}
      </span>
      <Button size="sm" onClick={() => void copy()}>
        Copy answer
      </Button>
    </div>
  );
}

function ProbabilityBars({
  letters,
  options,
  probabilities,
  chosen,
}: {
  letters: Letter[];
  options: AskRequestInput["options"];
  probabilities: Partial<Record<Letter, number>>;
  chosen: Letter;
}) {
  return (
    <ul className="mt-4 space-y-2.5" aria-label="Probability of each option" data-testid="probabilities">
      {letters.map((l) => {
        const p = probabilities[l];
        const isChosen = l === chosen;
        return (
          <li key={l} data-testid={`probability-${l}`} data-chosen={isChosen || undefined}>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className={`min-w-0 break-words ${isChosen ? "font-semibold" : ""}`}>
                <span className="font-semibold">{l}.</span> {options[l]}
                {isChosen ? <span className="sr-only"> (the model&apos;s answer)</span> : null}
              </span>
              <span className={`shrink-0 tabular-nums ${isChosen ? "font-semibold" : "text-slate-700"}`}>
                {p === undefined ? "not reported" : percent(p)}
              </span>
            </div>
            <div aria-hidden className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100">
              <div
                className={`h-full rounded-full ${isChosen ? "bg-slate-800" : "bg-slate-500"}`}
                style={{ width: `${Math.max(0, Math.min(1, p ?? 0)) * 100}%` }}
              />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The model's pick, first and plain: the option, how sure the model was in words (bands from the server's
 * thresholds), and every offered option's probability as a bar with the number as text. Neutral colours on purpose:
 * the pick is the model's, not a verified right answer, so nothing here looks like a "correct" tick. A low band is
 * amber, as a caution.
 */
export function AnswerCard({
  answer,
  question,
  model,
  askedAt,
  thresholds,
  cardRef,
}: {
  answer: Answer & { letter: Letter };
  question: AskRequestInput;
  model: ModelInfo;
  askedAt: number;
  thresholds: ConfidenceThresholds;
  cardRef: Ref<HTMLElement>;
}) {
  const letters = LETTERS.filter((l) => question.options[l] !== undefined);
  const band = answer.confidence !== null ? confidenceBand(answer.confidence, thresholds) : null;
  return (
    <FocusCard
      cardRef={cardRef}
      testId="answer"
      titleId="answer-card-title"
      className="rounded-lg border border-slate-300 bg-white p-4 shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40 sm:p-5"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="answer-card-title" className="text-sm font-semibold text-slate-700">
          Model&apos;s answer
        </h3>
        <CopyButton
          text={() => answerAsText({ question, answer, modelName: modelTitle(model), askedAt, thresholds })}
        />
      </div>
      <p className="mt-2 flex items-start gap-3" data-testid="chosen-option">
        <span className="grid size-9 shrink-0 place-items-center rounded-md bg-slate-800 text-lg font-bold text-white">
          {answer.letter}
        </span>
        <span className="min-w-0 break-words pt-1 text-lg font-semibold leading-snug">
          {answer.text ?? question.options[answer.letter]}
        </span>
      </p>
      {band && answer.confidence !== null ? (
        <p
          data-testid="confidence-band"
          data-band={band}
          className={`mt-3 inline-block rounded-md px-2 py-1 text-sm font-medium ${
            band === "low" ? "bg-amber-100 text-amber-950 ring-1 ring-amber-400" : "bg-slate-100 text-slate-900"
          }`}
        >
          {BAND_WORDS[band]} ({percent(answer.confidence)})
        </p>
      ) : (
        <p className="mt-3 text-sm text-slate-700" data-testid="no-confidence">
          This model server does not report how sure the model was, so no confidence is shown.
        </p>
      )}
      {model.comparison ? (
        <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-300">
          Answered by {modelTitle(model)}, an untuned comparison model: it is not trained for this task.
        </p>
      ) : null}
      {!answer.formatOk ? (
        <p className="mt-3 text-sm text-slate-700">
          The reply did not follow the expected format (reasoning, then answer); read the reasoning with care.
        </p>
      ) : null}
      {answer.probabilities ? (
        <>
          <ProbabilityBars
            letters={letters}
            options={question.options}
            probabilities={answer.probabilities}
            chosen={answer.letter}
          />
          <p className="mt-3 text-xs text-slate-600">
            How much weight the model put on each option when it answered. It is not the chance that an option is
            correct.
          </p>
        </>
      ) : null}
    </FocusCard>
  );
}
